import Foundation

/// The daily settlement (日结) of one kiosk: what its ledger recorded in one period, a day
/// of the hall's calendar or a settlement day (see `SettlementSchedule`). Amounts are fen.
/// A day without records is a zero report, not an absent one.
public struct SettlementReport: Sendable, Hashable, Codable {
    /// One item paid through one channel.
    public struct Line: Sendable, Hashable, Codable {
        public var itemID: String
        public var channel: String
        public var paymentCount: Int
        /// The payments' sum (positive).
        public var paymentFen: Int64
        public var reversalCount: Int
        /// The reversals' sum (negative or zero).
        public var reversalFen: Int64

        public init(itemID: String, channel: String, paymentCount: Int = 0, paymentFen: Int64 = 0,
                    reversalCount: Int = 0, reversalFen: Int64 = 0) {
            self.itemID = itemID
            self.channel = channel
            self.paymentCount = paymentCount
            self.paymentFen = paymentFen
            self.reversalCount = reversalCount
            self.reversalFen = reversalFen
        }

        /// Payments less reversals.
        public var netFen: Int64 { paymentFen + reversalFen }
    }

    /// One terminal's part of the day's chain.
    public struct TerminalSpan: Sendable, Hashable, Codable {
        public var terminal: String
        public var recordCount: Int
        public var firstSequence: Int64
        public var lastSequence: Int64
        public var firstRecordedAt: Date
        public var lastRecordedAt: Date
        /// The chain head after the day's last record of this terminal.
        public var head: LedgerHead
    }

    /// A correction recorded on the day.
    public struct Reversal: Sendable, Hashable, Codable {
        public var terminal: String
        public var sequence: Int64
        /// The sequence of the payment it reverses.
        public var reverses: Int64
        public var itemID: String
        public var channel: String
        /// Negative.
        public var amountFen: Int64
        public var recordedAt: Date
    }

    /// A payment recorded on the day: what the centre compares with its own paid orders.
    /// No account, not even masked.
    public struct Payment: Sendable, Hashable, Codable {
        public var terminal: String
        public var sequence: Int64
        /// The centre's order id (the ledger record's order reference).
        public var orderReference: String
        public var itemID: String
        public var channel: String
        public var amountFen: Int64
    }

    /// The hall's day settled.
    public var day: CalendarDate
    /// The hall's zone, which decided which records belong to `day`.
    public var timeZone: TimeZone
    /// The first moment of the records' period.
    public var periodStart: Date
    /// The moment after the period's last (not part of it).
    public var periodEnd: Date
    /// By item, then channel.
    public var lines: [Line]
    /// By terminal name; only terminals that recorded on the day.
    public var terminals: [TerminalSpan]
    /// By terminal, then sequence.
    public var reversals: [Reversal]
    /// The payments (not the reversals), by terminal, then sequence.
    public var payments: [Payment]
    /// Payments of the day whose receipt has not printed (counted by the store).
    public var unprintedReceipts: Int
    /// Payments of the day confirmed after their session had ended (counted by the store).
    public var paidAfterSessionEnded: Int

    public var paymentCount: Int { lines.reduce(0) { $0 + $1.paymentCount } }
    public var paymentFen: Int64 { lines.reduce(0) { $0 + $1.paymentFen } }
    public var reversalCount: Int { lines.reduce(0) { $0 + $1.reversalCount } }
    public var reversalFen: Int64 { lines.reduce(0) { $0 + $1.reversalFen } }
    /// Payments less reversals: the money the day leaves with the kiosk's channels.
    public var netFen: Int64 { paymentFen + reversalFen }
    /// Every record of the day, payments and reversals.
    public var recordCount: Int { terminals.reduce(0) { $0 + $1.recordCount } }
    /// The moments the report covers.
    public var period: Range<Date> { periodStart..<periodEnd }
}

/// Builds settlement reports from ledger records. Pure: the caller reads the records (and
/// the two counts the ledger does not hold) and passes the hall's zone.
public enum Settlement {
    /// The moments of `day` in `timeZone`: from its first moment up to, not including, the
    /// next day's first moment (23 or 25 hours long in zones with daylight saving time).
    public static func interval(of day: CalendarDate, in timeZone: TimeZone) -> Range<Date> {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        let start = calendar.date(from: DateComponents(year: day.year, month: day.month, day: day.day))!
        let end = calendar.date(byAdding: .day, value: 1, to: start)!
        return start..<end
    }

    /// The settlement of the calendar `day` in the hall's `timeZone` (its first moment to
    /// the next day's) from `records`; see `report(day:period:timeZone:records:…)`.
    public static func report(
        day: CalendarDate, timeZone: TimeZone, records: [LedgerRecord],
        unprintedReceipts: Int = 0, paidAfterSessionEnded: Int = 0
    ) -> SettlementReport {
        report(
            day: day, period: interval(of: day, in: timeZone), timeZone: timeZone, records: records,
            unprintedReceipts: unprintedReceipts, paidAfterSessionEnded: paidAfterSessionEnded
        )
    }

    /// The settlement of `day`, whose records are those recorded in `period`, from
    /// `records`, which may hold records of other periods too (they are left out). Afterwards the report's lines hold every
    /// item/channel pair paid or reversed on the day, its terminals every terminal that
    /// recorded, each with its first and last sequence and chain head; with no record on the
    /// day every total is zero. `unprintedReceipts` and `paidAfterSessionEnded` are carried
    /// as given.
    public static func report(
        day: CalendarDate, period interval: Range<Date>, timeZone: TimeZone, records: [LedgerRecord],
        unprintedReceipts: Int = 0, paidAfterSessionEnded: Int = 0
    ) -> SettlementReport {
        let start = LedgerTime.milliseconds(of: interval.lowerBound)
        let end = LedgerTime.milliseconds(of: interval.upperBound)
        let ofDay = records
            .filter { $0.recordedAtMilliseconds >= start && $0.recordedAtMilliseconds < end }
            .sorted { ($0.terminal, $0.sequence) < ($1.terminal, $1.sequence) }

        struct Key: Hashable { var item: String, channel: String }
        var lines: [Key: SettlementReport.Line] = [:]
        var spans: [String: SettlementReport.TerminalSpan] = [:]
        var reversals: [SettlementReport.Reversal] = []
        var payments: [SettlementReport.Payment] = []
        for record in ofDay {
            let key = Key(item: record.itemID, channel: record.channel)
            var line = lines[key] ?? SettlementReport.Line(itemID: record.itemID, channel: record.channel)
            switch record.kind {
            case .payment:
                line.paymentCount += 1
                line.paymentFen += record.amountFen
                payments.append(SettlementReport.Payment(
                    terminal: record.terminal, sequence: record.sequence, orderReference: record.orderReference,
                    itemID: record.itemID, channel: record.channel, amountFen: record.amountFen
                ))
            case .reversal:
                line.reversalCount += 1
                line.reversalFen += record.amountFen
                reversals.append(SettlementReport.Reversal(
                    terminal: record.terminal, sequence: record.sequence, reverses: record.reversalOf ?? 0,
                    itemID: record.itemID, channel: record.channel, amountFen: record.amountFen,
                    recordedAt: record.recordedAt
                ))
            }
            lines[key] = line
            if var span = spans[record.terminal] {
                span.recordCount += 1
                span.firstSequence = min(span.firstSequence, record.sequence)
                span.lastSequence = max(span.lastSequence, record.sequence)
                span.firstRecordedAt = min(span.firstRecordedAt, record.recordedAt)
                span.lastRecordedAt = max(span.lastRecordedAt, record.recordedAt)
                if record.sequence >= span.head.sequence { span.head = record.head }
                spans[record.terminal] = span
            } else {
                spans[record.terminal] = SettlementReport.TerminalSpan(
                    terminal: record.terminal, recordCount: 1, firstSequence: record.sequence,
                    lastSequence: record.sequence, firstRecordedAt: record.recordedAt,
                    lastRecordedAt: record.recordedAt, head: record.head
                )
            }
        }
        return SettlementReport(
            day: day, timeZone: timeZone, periodStart: interval.lowerBound, periodEnd: interval.upperBound,
            lines: lines.values.sorted { ($0.itemID, $0.channel) < ($1.itemID, $1.channel) },
            terminals: spans.values.sorted { $0.terminal < $1.terminal },
            reversals: reversals, payments: payments, unprintedReceipts: unprintedReceipts, paidAfterSessionEnded: paidAfterSessionEnded
        )
    }
}
