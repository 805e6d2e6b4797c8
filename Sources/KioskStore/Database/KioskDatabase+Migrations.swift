import GRDB

extension KioskDatabase {
    /// The schema's history. A migration that has shipped is never edited: a change is a
    /// new migration appended here.
    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1-terminals-sessions-audit") { db in
            try db.create(table: "terminal") { t in
                t.primaryKey("name", .text)
                t.column("profile", .text).notNull()
                t.column("device", .text).notNull()
                t.column("firstSeenAt", .datetime).notNull()
                t.column("lastSeenAt", .datetime).notNull()
            }
            try db.create(table: "session") { t in
                t.autoIncrementedPrimaryKey("id")
                t.column("terminal", .text).notNull().indexed()
                t.column("startedAt", .datetime).notNull()
                t.column("endedAt", .datetime)
                t.column("endReason", .text)
            }
            try db.create(table: "auditEntry") { t in
                t.autoIncrementedPrimaryKey("id")
                t.column("at", .datetime).notNull()
                t.column("actor", .text).notNull()
                t.column("action", .text).notNull()
                t.column("outcome", .text).notNull()
                t.column("detail", .text).notNull().defaults(to: "")
            }
        }
        migrator.registerMigration("v2-applications-outbox") { db in
            try db.create(table: "application") { t in
                t.primaryKey("id", .text)
                t.column("sequence", .integer).notNull().unique()
                t.column("number", .text).notNull().unique()
                t.column("itemID", .text).notNull()
                t.column("terminal", .text).notNull()
                t.column("valuesJSON", .text).notNull()
                t.column("subItemsJSON", .text).notNull()
                t.column("deliveryMethod", .text).notNull()
                t.column("deliveryAddress", .text)
                t.column("consentToGaps", .boolean).notNull()
                t.column("needsReview", .boolean).notNull()
                t.column("submittedAt", .datetime).notNull()
                t.column("caseNumber", .text).indexed()
                t.column("status", .text).notNull()
                t.column("statusChangedAt", .datetime)
                t.column("subItemStatusJSON", .text).notNull().defaults(to: "{}")
            }
            try db.create(table: "rating") { t in
                t.primaryKey("id", .text)
                t.column("level", .integer).notNull()
                t.column("reason", .text)
                t.column("applicationNumber", .text)
                t.column("itemID", .text)
                t.column("terminal", .text).notNull()
                t.column("ratedAt", .datetime).notNull()
            }
            try db.create(table: "outboxEntry") { t in
                t.autoIncrementedPrimaryKey("id")
                t.column("kind", .text).notNull()
                t.column("applicationID", .text).references("application")
                t.column("ratingID", .text).references("rating")
                t.column("state", .text).notNull()
                t.column("attempts", .integer).notNull().defaults(to: 0)
                t.column("createdAt", .datetime).notNull()
                // The age limit counts from here; a requeue starts it again.
                t.column("queuedAt", .datetime).notNull()
                t.column("nextAttemptAt", .datetime).notNull()
                t.column("deliveredAt", .datetime)
                t.column("lastError", .text)
                t.check(sql: "(applicationID IS NULL) <> (ratingID IS NULL)")
            }
            try db.create(index: "outboxEntry_due", on: "outboxEntry", columns: ["state", "nextAttemptAt"])
            try db.create(table: "syncCursor") { t in
                t.primaryKey("name", .text)
                t.column("value", .integer).notNull()
            }
        }
        migrator.registerMigration("v3-print-jobs") { db in
            // One row per print job, written before the job is sent to CUPS. `id` gives the
            // number printed on paper ("R-000123"); `document` is the masked document, kept
            // for reprints.
            try db.create(table: "printJob") { t in
                t.autoIncrementedPrimaryKey("id")
                t.column("number", .text).notNull().unique()
                t.column("kind", .text).notNull()
                t.column("reference", .text).notNull()
                t.column("role", .text).notNull()
                t.column("queue", .text).notNull()
                t.column("state", .text).notNull().indexed()
                t.column("cupsJobID", .integer)
                t.column("attempts", .integer).notNull().defaults(to: 0)
                t.column("reprintOf", .text)
                t.column("createdAt", .datetime).notNull()
                t.column("updatedAt", .datetime).notNull()
                t.column("lastReason", .text)
                t.column("document", .blob).notNull()
            }
        }
        migrator.registerMigration("v4-payments") { db in
            try db.create(table: "paymentOrder") { t in
                t.primaryKey("id", .text)
                t.column("terminal", .text).notNull()
                t.column("billKind", .text).notNull()
                t.column("maskedAccount", .text).notNull()
                t.column("amountFen", .integer).notNull()
                t.column("number", .text)
                t.column("state", .text).notNull().indexed()
                t.column("createdAt", .datetime).notNull()
                t.column("expiresAt", .datetime)
                t.column("paidAt", .datetime)
                t.column("channel", .text)
                t.column("ledgerSequence", .integer)
                t.column("afterSession", .boolean).notNull().defaults(to: false)
                t.column("receiptNumber", .text)
                t.column("receiptPrinted", .boolean).notNull().defaults(to: false)
            }
            // Append-only: every column is part of the sealed record or its seal.
            try db.create(table: "ledgerRecord") { t in
                t.column("terminal", .text).notNull()
                t.column("sequence", .integer).notNull()
                t.column("recordedAtMilliseconds", .integer).notNull()
                t.column("kind", .text).notNull()
                t.column("itemID", .text).notNull()
                t.column("channel", .text).notNull()
                t.column("amountFen", .integer).notNull()
                t.column("currency", .text).notNull()
                t.column("orderReference", .text).notNull().unique()
                t.column("maskedAccount", .text).notNull()
                t.column("reversalOf", .integer)
                t.column("previousHash", .text).notNull()
                t.column("hash", .text).notNull()
                t.column("signature", .text).notNull()
                t.primaryKey(["terminal", "sequence"])
            }
            try db.execute(sql: """
                CREATE TRIGGER ledgerRecord_noUpdate BEFORE UPDATE ON ledgerRecord
                BEGIN SELECT RAISE(ABORT, 'the ledger is append-only: record a reversal'); END;
                CREATE TRIGGER ledgerRecord_noDelete BEFORE DELETE ON ledgerRecord
                BEGIN SELECT RAISE(ABORT, 'the ledger is append-only: record a reversal'); END;
                """)
            try db.create(table: "ledgerHead") { t in
                t.primaryKey("terminal", .text)
                t.column("sequence", .integer).notNull()
                t.column("hash", .text).notNull()
            }
            // The outbox also carries payment reports now: rebuilt with a third reference,
            // exactly one of the three set.
            try db.create(table: "outboxEntry_new") { t in
                t.autoIncrementedPrimaryKey("id")
                t.column("kind", .text).notNull()
                t.column("applicationID", .text).references("application")
                t.column("ratingID", .text).references("rating")
                t.column("paymentOrderID", .text).references("paymentOrder")
                t.column("state", .text).notNull()
                t.column("attempts", .integer).notNull().defaults(to: 0)
                t.column("createdAt", .datetime).notNull()
                t.column("queuedAt", .datetime).notNull()
                t.column("nextAttemptAt", .datetime).notNull()
                t.column("deliveredAt", .datetime)
                t.column("lastError", .text)
                t.check(sql: "(applicationID IS NOT NULL) + (ratingID IS NOT NULL) + (paymentOrderID IS NOT NULL) = 1")
            }
            try db.execute(sql: """
                INSERT INTO outboxEntry_new (id, kind, applicationID, ratingID, state, attempts, createdAt, queuedAt,
                                             nextAttemptAt, deliveredAt, lastError)
                SELECT id, kind, applicationID, ratingID, state, attempts, createdAt, queuedAt, nextAttemptAt,
                       deliveredAt, lastError FROM outboxEntry;
                DROP TABLE outboxEntry;
                ALTER TABLE outboxEntry_new RENAME TO outboxEntry;
                """)
            try db.create(index: "outboxEntry_due", on: "outboxEntry", columns: ["state", "nextAttemptAt"])
        }
        migrator.registerMigration("v5-settlements") { db in
            // One row per settled hall day: the report as settled (kept whole, as JSON, so
            // the slip, the centre and technicians always see the same one), its hash, and
            // how its printing and forwarding went, with the centre's answer.
            try db.create(table: "settlement") { t in
                t.primaryKey("day", .text)
                t.column("periodStart", .datetime).notNull()
                t.column("periodEnd", .datetime).notNull()
                t.column("timeZone", .text).notNull()
                t.column("reportHash", .text).notNull()
                t.column("paymentCount", .integer).notNull()
                t.column("paymentFen", .integer).notNull()
                t.column("reversalCount", .integer).notNull()
                t.column("reversalFen", .integer).notNull()
                t.column("report", .blob).notNull()
                t.column("settledAt", .datetime).notNull()
                t.column("settledBy", .text).notNull()
                t.column("printNumber", .text)
                t.column("printResult", .text)
                t.column("forwardState", .text).notNull().indexed()
                t.column("forwardAttempts", .integer).notNull().defaults(to: 0)
                t.column("nextForwardAt", .datetime)
                t.column("forwardError", .text)
                t.column("forwardedAt", .datetime)
                t.column("centreResult", .text)
                t.column("centreAnswer", .blob)
            }
            // What was settled stays as it was settled: only the print and forward columns change.
            try db.execute(sql: """
                CREATE TRIGGER settlement_reportFixed
                BEFORE UPDATE OF day, periodStart, periodEnd, timeZone, reportHash, paymentCount, paymentFen,
                                 reversalCount, reversalFen, report, settledAt, settledBy ON settlement
                BEGIN SELECT RAISE(ABORT, 'a settled day does not change'); END;
                CREATE TRIGGER settlement_noDelete BEFORE DELETE ON settlement
                BEGIN SELECT RAISE(ABORT, 'a settled day does not change'); END;
                """)
            // Periods and Status read the ledger by time.
            try db.create(index: "ledgerRecord_recordedAt", on: "ledgerRecord", columns: ["recordedAtMilliseconds"])
        }
        migrator.registerMigration("v6-privacy") { db in
            // A receipt's reprint in another session asks for the account number; the order
            // keeps its salted digest, never the number. Print jobs gain the `held` state
            // (no schema change: states are text).
            try db.alter(table: "paymentOrder") { t in t.add(column: "accountDigest", .text) }
            try db.create(index: "paymentOrder_receiptNumber", on: "paymentOrder", columns: ["receiptNumber"])
            // Retention: when an application's personal fields were masked, and the digest
            // of its applicant ID's last six that proofs are checked against from then on.
            try db.alter(table: "application") { t in
                t.add(column: "personalDataMaskedAt", .datetime)
                t.add(column: "applicantProofDigest", .text)
            }
        }
        migrator.registerMigration("v7-identity-proof") { db in
            // How the applicant was proved at the kiosk (card or one-time code, with the
            // digest of the centre's token), forwarded with the application.
            try db.alter(table: "application") { t in
                t.add(column: "identityProofMethod", .text)
                t.add(column: "identityProofDigest", .text)
            }
        }
        return migrator
    }
}
