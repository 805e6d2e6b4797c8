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
        return migrator
    }
}
