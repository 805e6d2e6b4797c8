import Foundation

/// An independent terminal emulator for end-to-end tests: the bytes a daemon wrote are
/// replayed into pyte (a VT100/xterm emulator in Python) and the resulting screen is read
/// back cell by cell. kioskd's own grid and width table play no part in it.
public struct ScreenEmulator {
    /// One row of the emulated screen: a string per cell, "" for the right half of a
    /// wide character.
    public struct Screen: Decodable, Sendable {
        public let columns: Int
        public let rows: Int
        public let cells: [[String]]
        /// Each row's DEC line size as the emulator kept it: "single", "double-width",
        /// "double-height-top" or "double-height-bottom".
        public let lineSizes: [String]
        /// Double-size rows with something written past their half, which a real terminal
        /// would not show.
        public let overflow: [Int]

        enum CodingKeys: String, CodingKey {
            case columns, rows, cells, lineSizes = "line_sizes", overflow
        }

        /// Each row as plain text, wide characters once: the form screens are compared in.
        /// A double-size row reads as it looks, each glyph followed by as many spaces as it
        /// is wide, so every line is as wide as the screen (as `TextGrid.lines` does it).
        public var lines: [String] {
            cells.indices.map { row in
                guard lineSizes[row] != "single" else { return cells[row].joined() }
                var line = ""
                let half = Array(cells[row].prefix(columns / 2))
                for (column, cell) in half.enumerated() where !cell.isEmpty {
                    let wide = column + 1 < half.count && half[column + 1].isEmpty
                    line += cell + (wide ? "  " : " ")
                }
                return line + (columns % 2 == 1 ? " " : "")
            }
        }

        /// The columns (0-based) at which `character` stands in `row`.
        public func columns(of character: String, inRow row: Int) -> [Int] {
            cells[row].indices.filter { cells[row][$0] == character }
        }
    }

    public struct Failure: Error, CustomStringConvertible {
        public let description: String
    }

    /// The emulator script, next to the tests.
    public static let scriptPath: String = {
        var url = URL(fileURLWithPath: #filePath)
        url.deleteLastPathComponent()  // KioskTesting
        url.deleteLastPathComponent()  // Sources
        url.deleteLastPathComponent()  // repository
        return url.appendingPathComponent("Tests/Support/pyte_screen.py").path
    }()

    /// The screen of a `columns`×`rows` terminal after receiving `bytes`.
    public static func screen(after bytes: [UInt8], columns: Int = 80, rows: Int = 24) async throws -> Screen {
        try await offPool { try emulate(bytes, columns: columns, rows: rows) }
    }

    private static func emulate(_ bytes: [UInt8], columns: Int, rows: Int) throws -> Screen {
        // Debian's python3 with Debian's python3-pyte, which `make test` installs. Spawned
        // with files, not Foundation's pipes: with pipes, pyte once waited minutes for the
        // end of its input (a pipe's end inherited by a daemon another test started at the
        // same moment), and a write to a pyte gone away trapped inside Foundation and ended
        // the whole test run.
        let (status, output) = try Subprocess.run("/usr/bin/python3", [scriptPath, String(columns), String(rows)], input: bytes)
        guard status == 0 else {
            throw Failure(description: "pyte failed (exit \(status)): \(output.suffix(2000))")
        }
        let data = Data(output.utf8)
        return try JSONDecoder().decode(Screen.self, from: data)
    }
}
