#!/usr/bin/env python3
"""Independent verifier of a kioskd ledger export (`kioskctl ledger export`).

Reads the export's CSV and the kiosk's Ed25519 public key, rebuilds every record's
canonical encoding as Sources/KioskCore/Payments/LEDGER-FORMAT.md specifies it, and checks
each record's hash, its link to the record before, its signature, the sequence numbers
per terminal, unique order references, reversals, and the two human columns (local time,
yuan) against the canonical ones. Written apart from the daemon's Swift code, on purpose:
it needs only Python 3 and Debian's python3-cryptography.

    verify-ledger-export.py EXPORT.csv --public-key-file kiosk.pub
    verify-ledger-export.py EXPORT.csv --public-key BASE64 [--head hall-1:42:HASH ...]

Prints "ok N records, head TERMINAL SEQ HASH" (one head per terminal) and exits 0, or
prints the first break ("break TERMINAL #SEQ: reason") and exits 1. Exits 2 on usage
errors or an unreadable file.
"""

import argparse
import base64
import csv
import datetime
import hashlib
import re
import sys

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

VERSION = "kioskd-ledger-v1"
GENESIS = "0" * 64
MAX_TEXT_BYTES = 256
CANONICAL = [
    "terminal", "sequence", "recorded_at", "kind", "item_id", "channel", "amount_fen", "currency",
    "order_reference", "masked_account", "reversal_of", "previous_hash",
]
COLUMNS = CANONICAL + ["hash", "signature", "recorded_at_local", "amount_yuan"]
TEXT_FIELDS = {"terminal": False, "item_id": False, "channel": False, "order_reference": False, "masked_account": True}
INTEGER = re.compile(r"^(0|-?[1-9][0-9]*)$")
TIME = re.compile(r"^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})\.(\d{3})Z$")
HEX32 = re.compile(r"^[0-9a-f]{64}$")
HEX64 = re.compile(r"^[0-9a-f]{128}$")


class Break(Exception):
    def __init__(self, terminal, sequence, reason):
        super().__init__(f"break {terminal} #{sequence}: {reason}")


def unsafe(ch):
    v = ord(ch)
    return v < 0x20 or 0x7F <= v < 0xA0 or 0x202A <= v <= 0x202E or 0x2066 <= v <= 0x2069 or v in (0x2028, 0x2029)


def text_problem(value, may_be_empty):
    if value == "":
        return None if may_be_empty else "must not be empty"
    if len(value.encode("utf-8")) > MAX_TEXT_BYTES:
        return f"longer than {MAX_TEXT_BYTES} bytes"
    for ch in value:
        if unsafe(ch):
            return f"holds the control or layout character U+{ord(ch):04X}"
    if value[0] in "=+-@":
        return f"must not start with {value[0]} (a spreadsheet formula)"
    return None


def parse_time(text):
    """Milliseconds since 1970 of a canonical time, or None."""
    m = TIME.match(text)
    if not m:
        return None
    year, month, day, hour, minute, second, milli = (int(g) for g in m.groups())
    if year < 1970:
        return None
    try:
        moment = datetime.datetime(year, month, day, hour, minute, second, tzinfo=datetime.timezone.utc)
    except ValueError:
        return None
    epoch = datetime.datetime(1970, 1, 1, tzinfo=datetime.timezone.utc)
    return (moment - epoch) // datetime.timedelta(seconds=1) * 1000 + milli


def plain_yuan(fen):
    return f"{'-' if fen < 0 else ''}{abs(fen) // 100}.{abs(fen) % 100:02d}"


class Record:
    def __init__(self, row, line):
        self.row = row
        self.line = line
        self.terminal = row["terminal"]
        self.sequence_text = row["sequence"]
        self.sequence = int(row["sequence"]) if INTEGER.match(row["sequence"]) else None
        self.time = parse_time(row["recorded_at"])

    def fail(self, reason):
        raise Break(self.terminal, self.sequence_text, reason)

    def canonical(self):
        """The canonical bytes, after checking every field as the daemon does."""
        row = self.row
        if self.sequence is None or self.sequence < 1:
            self.fail("field sequence is invalid: must be a decimal integer of 1 or more")
        if self.time is None:
            self.fail("field recorded_at is invalid: not yyyy-MM-ddTHH:mm:ss.SSSZ")
        for name, may_be_empty in TEXT_FIELDS.items():
            problem = text_problem(row[name], may_be_empty)
            if problem:
                self.fail(f"field {name} is invalid: {problem}")
        if row["kind"] not in ("payment", "reversal"):
            self.fail("field kind is invalid: must be payment or reversal")
        if not INTEGER.match(row["amount_fen"]):
            self.fail("field amount_fen is invalid: not a decimal integer")
        if not re.match(r"^[A-Z]{3}$", row["currency"]):
            self.fail("field currency is invalid: must be three capital letters")
        if row["reversal_of"] != "" and not INTEGER.match(row["reversal_of"]):
            self.fail("field reversal_of is invalid: not a decimal integer")
        if not HEX32.match(row["previous_hash"]):
            self.fail("field previous_hash is invalid: must be 64 lowercase hex digits")
        lines = [VERSION] + [f"{key}={row[key]}" for key in CANONICAL]
        return ("\n".join(lines) + "\n").encode("utf-8")

    def kind_problem(self):
        amount = int(self.row["amount_fen"])
        target = self.row["reversal_of"]
        if self.row["kind"] == "payment":
            if amount <= 0:
                return "field amount_fen is invalid: a payment's amount must be positive"
            if target != "":
                return "field reversal_of is invalid: a payment reverses nothing"
        else:
            if amount >= 0 or amount < -(2**63 - 1):
                return "field amount_fen is invalid: a reversal's amount must be negative"
            if target == "":
                return "field reversal_of is invalid: a reversal must name the payment it reverses"
            if not 1 <= int(target) < self.sequence:
                return "field reversal_of is invalid: a reversal must name an earlier sequence"
        return None


def verify_terminal(terminal, records, first_use, public_key, heads):
    by_sequence = {}
    duplicated = set()
    for r in records:
        if r.sequence in by_sequence:
            duplicated.add(r.sequence)
        else:
            by_sequence[r.sequence] = r
    lowest = records[0].sequence if records else 1
    expected_sequence = lowest
    # An export of one day starts where the day started: a first record after 1 is trusted
    # to link to what came before; from sequence 1 it must link to the genesis hash.
    expected_previous = GENESIS if lowest == 1 else None
    head = None
    reversed_targets = set()
    for r in records:
        if r.sequence in duplicated:
            r.fail("duplicate sequence number (a record was inserted)")
        if r.sequence != expected_sequence:
            r.fail(f"sequence gap: {expected_sequence} expected here (a record was deleted or renumbered)")
        if expected_previous is not None and r.row["previous_hash"] != expected_previous:
            r.fail("previous hash does not match the record before: a record was deleted, inserted or moved")
        digest = hashlib.sha256(r.canonical()).digest()
        if digest.hex() != r.row["hash"]:
            r.fail("hash does not match the record's fields (the record was edited)")
        if not HEX64.match(r.row["signature"]):
            r.fail("signature is not the kiosk key's (not 64 bytes of lowercase hex)")
        try:
            public_key.verify(bytes.fromhex(r.row["signature"]), digest)
        except InvalidSignature:
            r.fail("signature is not the kiosk key's (forged or signed by another key)")
        problem = r.kind_problem()
        if problem:
            r.fail(problem)
        first = first_use[r.row["order_reference"]]
        if first is not r:
            r.fail(f"order reference already recorded at {first.terminal} #{first.sequence}")
        if r.row["kind"] == "reversal":
            target = int(r.row["reversal_of"])
            original = by_sequence.get(target)
            if original is not None:
                if original.row["kind"] != "payment":
                    r.fail(f"reversal of #{target} does not match it: it is not a payment")
                if int(original.row["amount_fen"]) != -int(r.row["amount_fen"]):
                    r.fail(f"reversal of #{target} does not match it: the amount is not its negation")
                if target in reversed_targets:
                    r.fail(f"reversal of #{target} does not match it: it was reversed before")
                reversed_targets.add(target)
            elif target >= lowest:
                r.fail(f"reversal of #{target}, which does not exist")
        # The columns for people must say what the canonical ones say.
        if r.row["amount_yuan"] != plain_yuan(int(r.row["amount_fen"])):
            r.fail("amount_yuan does not match amount_fen")
        try:
            local = datetime.datetime.fromisoformat(r.row["recorded_at_local"])
        except ValueError:
            r.fail("recorded_at_local is not a time with an offset")
        if local.tzinfo is None or int(local.timestamp()) != r.time // 1000:
            r.fail("recorded_at_local is not the moment of recorded_at")
        head = r
        expected_previous = r.row["hash"]
        expected_sequence = r.sequence + 1
    if terminal in heads:
        sequence, hash_ = heads[terminal]
        if head is None or head.sequence < sequence:
            raise Break(terminal, (head.sequence if head else lowest - 1) + 1,
                        f"records end before the expected head #{sequence} (the tail was cut off)")
        if by_sequence[sequence].row["hash"] != hash_:
            raise Break(terminal, sequence, "hash differs from the expected head")
    return head


def read_public_key(arguments):
    text = arguments.public_key
    if arguments.public_key_file:
        with open(arguments.public_key_file, "rb") as handle:
            data = handle.read()
        text = None if len(data) == 32 else data.decode("ascii").strip()
        if text is None:
            return Ed25519PublicKey.from_public_bytes(data)
    raw = base64.b64decode(text, validate=True)
    if len(raw) != 32:
        raise ValueError(f"the public key has {len(raw)} bytes, not 32")
    return Ed25519PublicKey.from_public_bytes(raw)


def main():
    parser = argparse.ArgumentParser(description="Verify a kioskd ledger export.")
    parser.add_argument("export", help="the ledger CSV export")
    group = parser.add_mutually_exclusive_group(required=True)
    group.add_argument("--public-key", help="the kiosk's Ed25519 public key, base64")
    group.add_argument("--public-key-file", help="a file holding the public key (base64 text or 32 raw bytes)")
    parser.add_argument("--head", action="append", default=[], metavar="TERMINAL:SEQ:HASH",
                        help="a head the chain must reach (repeatable); finds a cut-off tail")
    arguments = parser.parse_args()
    try:
        public_key = read_public_key(arguments)
        heads = {}
        for head in arguments.head:
            terminal, sequence, hash_ = head.rsplit(":", 2)
            heads[terminal] = (int(sequence), hash_)
        with open(arguments.export, encoding="utf-8-sig", newline="") as handle:
            rows = list(csv.DictReader(handle, strict=True))
            header = rows and list(rows[0].keys())
    except (OSError, ValueError, UnicodeDecodeError, csv.Error) as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    if rows and any(column not in header for column in COLUMNS):
        print(f"error: the export lacks columns {[c for c in COLUMNS if c not in header]}", file=sys.stderr)
        return 2

    try:
        records = []
        for line, row in enumerate(rows, start=2):
            if None in row or any(value is None for value in row.values()):
                raise Break(row.get("terminal") or "?", row.get("sequence") or "?", f"line {line} has the wrong number of fields")
            records.append(Record(row, line))
        for r in records:
            if r.sequence is None or r.time is None:
                r.canonical()  # names the broken field
        first_use = {}
        for r in sorted(records, key=lambda r: (r.time, r.terminal, r.sequence)):
            first_use.setdefault(r.row["order_reference"], r)
        by_terminal = {}
        for r in records:
            by_terminal.setdefault(r.terminal, []).append(r)
        for terminal in heads:
            by_terminal.setdefault(terminal, [])
        results = []
        for terminal in sorted(by_terminal):
            chain = sorted(by_terminal[terminal], key=lambda r: r.sequence)
            results.append((terminal, verify_terminal(terminal, chain, first_use, public_key, heads)))
    except Break as found:
        print(found)
        return 1
    summary = ", ".join(f"head {t} {h.sequence} {h.row['hash']}" for t, h in results if h is not None)
    print(f"ok {len(records)} records" + (f", {summary}" if summary else ""))
    return 0


if __name__ == "__main__":
    sys.exit(main())
