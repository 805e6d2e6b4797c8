extension Money {
    /// "¥1,234.50" for 123450 fen: thousands separated, two decimals, from integer fen.
    public static func grouped(_ fen: Int64) -> String {
        let sign = fen < 0 ? "-" : ""
        let magnitude = fen.magnitude
        let cents = magnitude % 100
        var whole = String(magnitude / 100)
        var groups: [Substring] = []
        while whole.count > 3 {
            groups.insert(Substring(whole.suffix(3)), at: 0)
            whole.removeLast(3)
        }
        groups.insert(Substring(whole), at: 0)
        return "\(sign)¥\(groups.joined(separator: ",")).\(cents < 10 ? "0" : "")\(cents)"
    }
}
