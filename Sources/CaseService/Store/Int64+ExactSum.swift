extension Sequence where Element == Int64 {
    /// The sum, or nil when it does not fit in Int64; never traps. Partial sums may leave
    /// the range on the way (wrapping addition is exact modulo 2^64, and each wrap is
    /// counted), so the answer is exact whenever the true sum fits: amounts of a
    /// settlement come from the kiosk and may be anything the schema allows.
    func exactSum() -> Int64? {
        var sum: Int64 = 0
        var wraps = 0
        for value in self {
            let (next, overflow) = sum.addingReportingOverflow(value)
            if overflow { wraps += value < 0 ? -1 : 1 }
            sum = next
        }
        return wraps == 0 ? sum : nil
    }
}
