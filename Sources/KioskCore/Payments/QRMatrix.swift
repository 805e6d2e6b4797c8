/// The modules of a QR code, row by row, `true` for dark; made by a `QRCodeEncoder`.
public struct QRMatrix: Sendable, Hashable {
    public let size: Int
    public let modules: [Bool]

    public init(size: Int, modules: [Bool]) {
        precondition(modules.count == size * size, "a QR matrix is square")
        self.size = size
        self.modules = modules
    }

    public func isDark(row: Int, column: Int) -> Bool {
        guard row >= 0, column >= 0, row < size, column < size else { return false }
        return modules[row * size + column]
    }

    /// The code drawn with half blocks, two module rows per text row, with `quietZone` light
    /// modules around it: "▀" dark above, "▄" dark below, "█" both, " " neither. Drawn in
    /// dark on light cells, it reads as printed.
    public func halfBlockLines(quietZone: Int = 2) -> [String] {
        let span = size + 2 * quietZone
        var lines: [String] = []
        var row = -quietZone
        while row < size + quietZone {
            var line = ""
            for column in -quietZone..<(size + quietZone) {
                let top = isDark(row: row, column: column)
                let bottom = row + 1 < size + quietZone && isDark(row: row + 1, column: column)
                line.append(top ? (bottom ? "█" : "▀") : (bottom ? "▄" : " "))
            }
            precondition(line.count == span)
            lines.append(line)
            row += 2
        }
        return lines
    }
}
