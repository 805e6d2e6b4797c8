/// Amounts as people read them on screens and as spreadsheets read them in exports. Both
/// work on `Int64` fen with integer arithmetic only, so no amount is ever rounded.
extension Money {
    /// "¥1,234.50" for 123450 fen: yuan with a comma every three digits and two decimals;
    /// "-¥1,234.50" for a negative amount (a reversal), "¥0.00" for zero. Every `Int64`,
    /// `Int64.min` included, has a display.
    public static func display(_ fen: Int64) -> String {
        let magnitude = fen.magnitude
        var whole = String(magnitude / 100)
        var grouped = ""
        while whole.count > 3 {
            grouped = "," + whole.suffix(3) + grouped
            whole.removeLast(3)
        }
        return "\(fen < 0 ? "-" : "")¥\(whole)\(grouped).\(twoDigits(magnitude % 100))"
    }

    /// "1234.50" for 123450 fen, "-0.05" for -5: yuan with two decimals, no currency sign
    /// and no separators, so that a spreadsheet reads the cell as a number.
    public static func plainYuan(_ fen: Int64) -> String {
        let magnitude = fen.magnitude
        return "\(fen < 0 ? "-" : "")\(magnitude / 100).\(twoDigits(magnitude % 100))"
    }

    private static func twoDigits(_ value: UInt64) -> String {
        value < 10 ? "0\(value)" : "\(value)"
    }
}
