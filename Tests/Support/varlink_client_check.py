#!/usr/bin/env python3
"""Talks to a running kioskd with the reference Varlink client (PyPI `varlink`).

    varlink_client_check.py SOCKET INTERFACE_FILE DEAD_OUTBOX_ID TERMINAL

Parses the shipped interface file with `varlink.Interface`, calls every method it
declares through `varlink.Client` with valid parameters and checks each reply against
the method's declared reply type (every field, every enum value). Then checks the
standard errors: InvalidParameter naming the parameter for parameters of the wrong type
or value (sent as raw frames, since the client itself refuses to send them), and
PermissionDenied for a caller in neither group and the per-user connection cap (a child
process running as `nobody`; only when this script runs as root). Prints one line per check and a count.
Exit status 0 when everything passed.
"""

import json
import os
import socket
import sys

import varlink
from varlink.scanner import _Alias, _Array, _CustomType, _Dict, _Enum, _Error, _Maybe, _Method, _Object, _Struct

INTERFACE = "io.kioskd.Control"

passed = 0
failed = 0


def check(ok, what):
    global passed, failed
    if ok:
        passed += 1
        print("ok:", what)
    else:
        failed += 1
        print("FAILED:", what)


def shape_problems(interface, varlink_type, value, path):
    """Where `value` does not have `varlink_type` as the interface declares it."""
    if isinstance(varlink_type, _Maybe):
        return [] if value is None else shape_problems(interface, varlink_type.element_type, value, path)
    if value is None:
        return [f"{path}: missing"]
    if isinstance(varlink_type, _CustomType):
        return shape_problems(interface, interface.members[varlink_type.name], value, path)
    if isinstance(varlink_type, (_Alias, _Error)):
        return shape_problems(interface, varlink_type.type, value, path)
    if isinstance(varlink_type, _Object):
        return []
    if isinstance(varlink_type, _Enum):
        return [] if value in list(varlink_type.fields) else [f"{path}: {value!r} is not one of {list(varlink_type.fields)}"]
    if isinstance(varlink_type, _Array):
        if not isinstance(value, list):
            return [f"{path}: not an array"]
        return [p for i, item in enumerate(value) for p in shape_problems(interface, varlink_type.element_type, item, f"{path}[{i}]")]
    if isinstance(varlink_type, _Dict):
        if not isinstance(value, dict):
            return [f"{path}: not a map"]
        return [p for k, item in value.items() for p in shape_problems(interface, varlink_type.element_type, item, f"{path}[{k}]")]
    if isinstance(varlink_type, _Struct):
        if not isinstance(value, dict):
            return [f"{path}: not an object"]
        problems = [f"{path}.{name}: not declared" for name in value if name not in varlink_type.fields]
        for name, field_type in varlink_type.fields.items():
            problems += shape_problems(interface, field_type, value.get(name), f"{path}.{name}")
        return problems
    if isinstance(varlink_type, bool):
        return [] if isinstance(value, bool) else [f"{path}: {value!r} is not a bool"]
    if isinstance(varlink_type, int):
        return [] if isinstance(value, int) and not isinstance(value, bool) else [f"{path}: {value!r} is not an int"]
    if isinstance(varlink_type, float):
        return [] if isinstance(value, (int, float)) and not isinstance(value, bool) else [f"{path}: {value!r} is not a float"]
    if isinstance(varlink_type, str):
        return [] if isinstance(value, str) else [f"{path}: {value!r} is not a string"]
    return [f"{path}: unknown type {varlink_type!r}"]


def raw_call(path, method, parameters):
    """One call as raw bytes, for parameters the client would refuse to send."""
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as connection:
        connection.settimeout(10)
        connection.connect(path)
        connection.sendall(json.dumps({"method": method, "parameters": parameters}).encode() + b"\0")
        data = b""
        while not data.endswith(b"\0"):
            chunk = connection.recv(65536)
            if not chunk:
                break
            data += chunk
    return json.loads(data.rstrip(b"\0"))


def main():
    path, interface_file, dead_id, terminal = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4]
    per_user = 32
    with open(interface_file, encoding="utf-8") as file:
        text = file.read()
    # Given the shipped interface file, parsed by the reference implementation
    interface = varlink.Interface(text)
    check(interface.name == INTERFACE, "the shipped file parses as " + INTERFACE)
    methods = [name for name, member in interface.members.items() if isinstance(member, _Method)]
    errors = {f"{INTERFACE}.{name}": member for name, member in interface.members.items() if isinstance(member, _Error)}

    # Valid parameters for every method. Methods whose outcome depends on what the daemon
    # drives (no printer is configured, there are no payments) may answer one of the
    # interface's own errors instead, with its declared parameters.
    calls = {
        "Status": {},
        "ListOutbox": {"dead": True},
        "RetryOutbox": {},
        "RequeueOutbox": {"id": dead_id},
        "Printers": {},
        "Jobs": {"failed": False},
        "Reprint": {"number": "R-000001"},
        "Resume": {"role": "receipt"},
        "Payments": {"date": "2026-11-23", "unprinted": False},
        "LedgerVerify": {"from": 1},
        "LedgerKey": {},
        "LedgerExport": {"date": "2026-11-23"},
        "Settlement": {"date": "2026-11-23"},
        "ReversePayment": {"terminal": "hall-1", "sequence": 1, "reason": "refund at the desk"},
        "Terminals": {},
        "ResetTerminal": {"name": terminal},
        "LockTerminal": {"name": terminal, "message": "back at 15:00"},
        "UnlockTerminal": {"name": terminal},
        "AuditLog": {"limit": 5, "action": "Status"},
        "Backup": {"name": "python-check"},
        "SendMessage": {"name": terminal, "text": "The hall closes at 17:00", "seconds": 5},
        "Reload": {},
        "Events": {},
        "ScreenSnapshot": {"name": terminal},
    }
    # Streaming methods: called with more, their first replies are checked (below).
    streaming = {"Events"}
    may_refuse = {"Reprint": {"NoSuchPrinter", "NoSuchJob"}, "Resume": {"NoSuchPrinter", "PrinterError"}, "ReversePayment": {"NoSuchRecord"}}
    check(sorted(calls) == sorted(methods), f"the check calls every method of the file: {sorted(methods)}")

    client = varlink.Client(address=f"unix:{path}")
    client.add_interface(interface)
    with client.open(INTERFACE) as control:
        # Then the daemon serves the same interface text it ships
        description = client.get_interface(INTERFACE).description
        check(description == text, "GetInterfaceDescription returns the shipped file")
        for name in methods:
            if name in streaming:
                continue
            # When each method is called through the reference client
            try:
                reply = getattr(control, name)(**calls.get(name, {}))
            except varlink.VarlinkError as error:
                short = error.error().rsplit(".", 1)[-1]
                declared = errors.get(error.error())
                problems = shape_problems(interface, declared, error.parameters() or {}, name) if declared else ["undeclared"]
                check(short in may_refuse.get(name, set()) and not problems,
                      f"{name} answers the declared error {error.error()} {problems or ''}")
                continue
            # Then its reply has exactly the declared shape
            problems = shape_problems(interface, interface.members[name].out_type, reply or {}, name)
            check(not problems, f"{name} reply matches the interface {problems or ''}")

    # When Events is called with more on a connection of its own / Then the first replies
    # are the current state, each continuing and with exactly the declared shape; a
    # terminal is among them
    with varlink.Client(address=f"unix:{path}") as watcher:
        watcher.add_interface(interface)
        with watcher.open(INTERFACE) as events:
            first, kinds = [], set()
            for reply in events.Events(_more=True):
                first.append(reply)
                kinds.add(reply["kind"])
                if {"terminal", "outbox", "central"} <= kinds or len(first) >= 50:
                    break
            problems = [p for reply in first for p in shape_problems(interface, interface.members["Events"].out_type, reply, "Events")]
            check(not problems and {"terminal", "outbox", "central"} <= kinds
                  and any(r.get("terminal", {}).get("name") == terminal for r in first),
                  f"Events streams the current state first ({sorted(kinds)}) in the declared shape {problems or ''}")
    without_more = raw_call(path, f"{INTERFACE}.Events", {})
    check(without_more.get("error") == "org.varlink.service.ExpectedMore", f"Events without more answers ExpectedMore: {without_more}")

    with client.open(INTERFACE) as control:
        # When a terminal is locked / Then Terminals says so with the message; then unlocked
        control.LockTerminal(name=terminal, message="back at 16:00")
        listed = {t["name"]: t for t in control.Terminals()["terminals"]}
        check(listed.get(terminal, {}).get("locked") is True and listed[terminal].get("lock_message") == "back at 16:00",
              f"Terminals lists {terminal} locked with its message: {listed}")
        control.UnlockTerminal(name=terminal)
        # When a name no terminal has is reset / Then the declared NoSuchTerminal names it
        try:
            control.ResetTerminal(name="no-such-terminal")
            check(False, "ResetTerminal of an unknown name answers NoSuchTerminal")
        except varlink.VarlinkError as error:
            check(error.error() == f"{INTERFACE}.NoSuchTerminal" and error.parameters().get("name") == "no-such-terminal",
                  f"ResetTerminal of an unknown name answers NoSuchTerminal: {error.error()} {error.parameters()}")

        # When the audit log is read filtered / Then only rows with that action, newest first
        rows = control.AuditLog(limit=1000, action="LockTerminal")["entries"]
        check(len(rows) >= 2 and all("LockTerminal" in row["action"] for row in rows)
              and [row["id"] for row in rows] == sorted((row["id"] for row in rows), reverse=True),
              f"AuditLog filtered by action answers the LockTerminal calls, newest first: {len(rows)} rows")
        # When a backup name is used twice / Then the declared BackupFailed
        try:
            control.Backup(name="python-check")
            check(False, "Backup with a name in use answers BackupFailed")
        except varlink.VarlinkError as error:
            check(error.error() == f"{INTERFACE}.BackupFailed", f"Backup with a name in use answers BackupFailed: {error.error()}")

    # When parameters have the wrong type or value / Then InvalidParameter names them
    wrong = [
        ("Jobs", {"failed": "yes"}, "failed"),
        ("ListOutbox", {"dead": 1}, "dead"),
        ("Reprint", {"number": "-1"}, "number"),
        ("Reprint", {"number": 7}, "number"),
        ("RequeueOutbox", {"id": "7"}, "id"),
        ("Resume", {"role": "lp0"}, "role"),
        ("Payments", {"date": 20261123}, "date"),
        ("Payments", {"unprinted": "no"}, "unprinted"),
        ("LedgerVerify", {"from": -1}, "from"),
        ("Settlement", {"export": "yes"}, "export"),
        ("ReversePayment", {"sequence": "1", "reason": "refund"}, "sequence"),
        ("ResetTerminal", {}, "name"),
        ("LockTerminal", {"name": 1}, "name"),
        ("LockTerminal", {"name": terminal, "message": "x" * 121}, "message"),
        ("UnlockTerminal", {"name": ""}, "name"),
        ("AuditLog", {"limit": 0}, "limit"),
        ("AuditLog", {"actor": 0}, "actor"),
        ("Backup", {"name": "../escape"}, "name"),
        ("Backup", {"name": "a/b"}, "name"),
        ("SendMessage", {"text": "closing", "seconds": "60"}, "seconds"),
        ("SendMessage", {"text": "closing", "seconds": 0}, "seconds"),
        ("SendMessage", {"seconds": 60}, "text"),
    ]
    for method, parameters, name in wrong:
        reply = raw_call(path, f"{INTERFACE}.{method}", parameters)
        check(reply.get("error") == "org.varlink.service.InvalidParameter"
              and reply.get("parameters", {}).get("parameter") == name,
              f"{method} {json.dumps(parameters)} answers InvalidParameter({name}): {reply}")

    # Given a caller in neither group (nobody) / Then PermissionDenied, from the client too
    if os.getuid() != 0:
        print("note: not root, so no other user can be tried: PermissionDenied not checked")
    else:
        read, write = os.pipe()
        child = os.fork()
        if child == 0:
            os.close(read)
            os.setgroups([])
            os.setgid(65534)
            os.setuid(65534)
            outcome = "no error"
            try:
                with varlink.Client(address=f"unix:{path}") as other:
                    other.add_interface(interface)
                    with other.open(INTERFACE) as denied:
                        denied.Status()
            except varlink.VarlinkError as error:
                outcome = error.error()
            except Exception as error:  # noqa: BLE001 - reported to the parent
                outcome = f"{type(error).__name__}: {error}"
            # The per-user cap ([control] max_connections_per_user, 32 by default): 32
            # connections are served, the 33rd is closed without an answer.
            held, served = [], 0
            for _ in range(per_user):
                try:
                    held.append(varlink.Client(address=f"unix:{path}").open("org.varlink.service"))
                    held[-1].GetInfo()
                    served += 1
                except Exception:  # noqa: BLE001 - counted as not served
                    pass
            try:
                extra = raw_call(path, "org.varlink.service.GetInfo", {})
                over = f"answered {extra}"
            except (json.JSONDecodeError, OSError):
                over = "closed"
            os.write(write, f"{outcome}|{served}|{over}".encode())
            os._exit(0)
        os.close(write)
        outcome, served, over = os.read(read, 4096).decode().split("|")
        os.waitpid(child, 0)
        check(outcome == "org.varlink.service.PermissionDenied", f"Status as nobody answers PermissionDenied: {outcome}")
        check(served == str(per_user) and over == "closed",
              f"nobody's first {per_user} connections are served, the next is closed: {served} served, then {over}")

    print(f"varlink client check: {passed} checks ok, {failed} failed")
    return 0 if failed == 0 and passed > 0 else 1


if __name__ == "__main__":
    sys.exit(main())
