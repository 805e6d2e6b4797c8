/// The methods of `io.kioskd.Control`, each with its parameters and reply types: the one
/// table the server's handlers, kioskctl and the contract test share. The interface file
/// (`Resources/varlink/io.kioskd.Control.varlink`) documents each.
public enum ControlMethods {
    /// Every method, in the order of the interface file.
    public static let all: [any ControlMethod.Type] = [
        Status.self, Events.self, Terminals.self, ResetTerminal.self, LockTerminal.self, UnlockTerminal.self,
        SendMessage.self, ScreenSnapshot.self, AuditLog.self, Backup.self, Reload.self, ListOutbox.self, RetryOutbox.self,
        RequeueOutbox.self, Printers.self, Jobs.self, Reprint.self, Resume.self, Payments.self, LedgerVerify.self,
        LedgerKey.self, LedgerExport.self, Settlement.self, ReversePayment.self,
    ]

    // MARK: Status and events

    public enum Status: ControlMethod {
        public typealias Parameters = NoParameters
        public typealias Reply = StatusReply
        public static let name = "Status"
        public static let access = AccessLevel.read
    }

    /// Streaming: called with `more`, one reply per change.
    public enum Events: ControlMethod {
        public typealias Parameters = NoParameters
        public typealias Reply = EventReply
        public static let name = "Events"
        public static let access = AccessLevel.read
    }

    // MARK: Terminals

    public enum Terminals: ControlMethod {
        public typealias Parameters = NoParameters
        public typealias Reply = TerminalsReply
        public static let name = "Terminals"
        public static let access = AccessLevel.read
    }

    /// The parameters of the methods that name one terminal.
    public struct TerminalName: Codable, Sendable, Hashable {
        public var name: String
        public init(name: String) { self.name = name }
    }

    public enum ResetTerminal: ControlMethod {
        public typealias Parameters = TerminalName
        public typealias Reply = EmptyReply
        public static let name = "ResetTerminal"
        public static let access = AccessLevel.change
    }

    public enum LockTerminal: ControlMethod {
        public struct Parameters: Codable, Sendable, Hashable {
            public var name: String
            public var message: String?
            public init(name: String, message: String?) {
                self.name = name
                self.message = message
            }
        }

        public typealias Reply = LockReply
        public static let name = "LockTerminal"
        public static let access = AccessLevel.change
    }

    public enum UnlockTerminal: ControlMethod {
        public typealias Parameters = TerminalName
        public typealias Reply = EmptyReply
        public static let name = "UnlockTerminal"
        public static let access = AccessLevel.change
    }

    public enum SendMessage: ControlMethod {
        public struct Parameters: Codable, Sendable, Hashable {
            /// Nil for every terminal.
            public var name: String?
            public var text: String
            public var seconds: Int64
            public init(name: String?, text: String, seconds: Int64) {
                self.name = name
                self.text = text
                self.seconds = seconds
            }
        }

        public struct Reply: Codable, Sendable, Hashable {
            /// The terminals the message went to.
            public var terminals: [String]
        }

        public static let name = "SendMessage"
        public static let access = AccessLevel.change
    }

    public enum ScreenSnapshot: ControlMethod {
        public typealias Parameters = TerminalName
        public typealias Reply = ScreenSnapshotReply
        public static let name = "ScreenSnapshot"
        public static let access = AccessLevel.read
    }

    // MARK: Maintenance

    public enum AuditLog: ControlMethod {
        public struct Parameters: Codable, Sendable, Hashable {
            public var limit: Int64?
            public var actor: String?
            public var action: String?
            public init(limit: Int64?, actor: String?, action: String?) {
                self.limit = limit
                self.actor = actor
                self.action = action
            }
        }

        public typealias Reply = AuditLogReply
        public static let name = "AuditLog"
        public static let access = AccessLevel.read
    }

    public enum Backup: ControlMethod {
        public struct Parameters: Codable, Sendable, Hashable {
            public var name: String?
            public init(name: String?) { self.name = name }
        }

        public typealias Reply = BackupReply
        public static let name = "Backup"
        public static let access = AccessLevel.change
    }

    public enum Reload: ControlMethod {
        public typealias Parameters = NoParameters
        public typealias Reply = ReloadReport
        public static let name = "Reload"
        public static let access = AccessLevel.change
    }

    // MARK: Outbox

    public enum ListOutbox: ControlMethod {
        public struct Parameters: Codable, Sendable, Hashable {
            public var dead: Bool?
            public init(dead: Bool?) { self.dead = dead }
        }

        public typealias Reply = OutboxListing
        public static let name = "ListOutbox"
        public static let access = AccessLevel.read
    }

    public enum RetryOutbox: ControlMethod {
        public typealias Parameters = NoParameters
        public struct Reply: Codable, Sendable, Hashable {
            /// The pending entries made due now.
            public var pending: Int
        }

        public static let name = "RetryOutbox"
        public static let access = AccessLevel.change
    }

    public enum RequeueOutbox: ControlMethod {
        public struct Parameters: Codable, Sendable, Hashable {
            public var id: Int64
            public init(id: Int64) { self.id = id }
        }

        public typealias Reply = EmptyReply
        public static let name = "RequeueOutbox"
        public static let access = AccessLevel.change
    }

    // MARK: Printing

    public enum Printers: ControlMethod {
        public typealias Parameters = NoParameters
        public typealias Reply = PrintersReply
        public static let name = "Printers"
        public static let access = AccessLevel.read
    }

    public enum Jobs: ControlMethod {
        public struct Parameters: Codable, Sendable, Hashable {
            public var failed: Bool?
            public init(failed: Bool?) { self.failed = failed }
        }

        public typealias Reply = JobsReply
        public static let name = "Jobs"
        public static let access = AccessLevel.read
    }

    public enum Reprint: ControlMethod {
        public struct Parameters: Codable, Sendable, Hashable {
            /// As on the paper (R-000123), or its digits.
            public var number: String
            public init(number: String) { self.number = number }
        }

        public typealias Reply = PrintOutcomeReply
        public static let name = "Reprint"
        public static let access = AccessLevel.change
    }

    public enum Resume: ControlMethod {
        public struct Parameters: Codable, Sendable, Hashable {
            /// `receipt` or `document`.
            public var role: String
            public init(role: String) { self.role = role }
        }

        public typealias Reply = PrintersReply
        public static let name = "Resume"
        public static let access = AccessLevel.change
    }

    // MARK: Payments and the ledger

    public enum Payments: ControlMethod {
        public struct Parameters: Codable, Sendable, Hashable {
            /// YYYY-MM-DD; nil for every day.
            public var date: String?
            public var unprinted: Bool?
            public init(date: String?, unprinted: Bool?) {
                self.date = date
                self.unprinted = unprinted
            }
        }

        public typealias Reply = PaymentsReply
        public static let name = "Payments"
        public static let access = AccessLevel.read
    }

    public enum LedgerVerify: ControlMethod {
        public struct Parameters: Codable, Sendable, Hashable {
            public var from: Int64?
            public init(from: Int64?) { self.from = from }
        }

        public typealias Reply = LedgerVerifyReply
        public static let name = "LedgerVerify"
        public static let access = AccessLevel.read
    }

    public enum LedgerKey: ControlMethod {
        public typealias Parameters = NoParameters
        public typealias Reply = LedgerKeyReply
        public static let name = "LedgerKey"
        public static let access = AccessLevel.read
    }

    public enum LedgerExport: ControlMethod {
        public struct Parameters: Codable, Sendable, Hashable {
            /// YYYY-MM-DD.
            public var date: String
            public init(date: String) { self.date = date }
        }

        public typealias Reply = LedgerExportReply
        public static let name = "LedgerExport"
        public static let access = AccessLevel.change
    }

    /// Reading needs the read group; `export` or `print` the admin group.
    public enum Settlement: ControlMethod {
        public struct Parameters: Codable, Sendable, Hashable {
            /// YYYY-MM-DD; nil for the day still open.
            public var date: String?
            public var export: Bool?
            public var print: Bool?
            public init(date: String?, export: Bool?, print: Bool?) {
                self.date = date
                self.export = export
                self.print = print
            }
        }

        public typealias Reply = SettlementReply
        public static let name = "Settlement"
        public static let access = AccessLevel.read
    }

    public enum ReversePayment: ControlMethod {
        public struct Parameters: Codable, Sendable, Hashable {
            /// Nil when only one terminal has the sequence.
            public var terminal: String?
            public var sequence: Int64
            public var reason: String
            public init(terminal: String?, sequence: Int64, reason: String) {
                self.terminal = terminal
                self.sequence = sequence
                self.reason = reason
            }
        }

        public typealias Reply = ReversalReply
        public static let name = "ReversePayment"
        public static let access = AccessLevel.change
    }
}
