/// Finds the table headers that would stop the process inside TOMLKit.
///
/// toml++ (the C++ parser inside TOMLKit) checks the character after a header's `[` or
/// `[[` (and any spaces) only with an assertion, which stays on in release builds: a line
/// `[` alone, `[#`, `[=` or `[.a]` aborts the process instead of giving a syntax error
/// (found by `ConfigurationMutationTests`). This reads the text as toml++ reads the top
/// level of a document (strings, comments and multi-line arrays skipped) and names the
/// first such header, so that it is refused before toml++ sees it.
enum TOMLHeaderGuard {
    /// The 1-based line of the first table header toml++ cannot survive; nil when none.
    static func firstFatalHeader(in text: String) -> Int? {
        var bytes = Array(text.utf8)
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { bytes.removeFirst(3) }
        var scanner = Scanner(bytes: bytes)
        return scanner.run()
    }

    private struct Scanner {
        let bytes: [UInt8]
        var index = 0
        var line = 1
        /// Brackets and braces open in the current value.
        var depth = 0
        /// Nothing but spaces and tabs since the line began, outside any value: a `[` here
        /// starts a table header.
        var atLineStart = true

        init(bytes: [UInt8]) {
            self.bytes = bytes
        }

        func at(_ position: Int) -> UInt8? {
            position < bytes.count ? bytes[position] : nil
        }

        mutating func run() -> Int? {
            while index < bytes.count {
                switch bytes[index] {
                case ascii("\n"):
                    line += 1
                    atLineStart = depth == 0
                    index += 1
                case ascii(" "), ascii("\t"):
                    index += 1
                case ascii("#"):
                    while index < bytes.count, bytes[index] != ascii("\n") { index += 1 }
                case ascii("\""), ascii("'"):
                    atLineStart = false
                    skipString()
                case ascii("[") where atLineStart && depth == 0:
                    if headerIsFatal() { return line }
                    atLineStart = false
                    while index < bytes.count, bytes[index] != ascii("\n") { index += 1 }
                case ascii("["), ascii("{"):
                    atLineStart = false
                    depth += 1
                    index += 1
                case ascii("]"), ascii("}"):
                    atLineStart = false
                    depth = max(0, depth - 1)
                    index += 1
                default:
                    atLineStart = false
                    index += 1
                }
            }
            return nil
        }

        /// Whether toml++, at the `[` at `index`, would ask for a key where there is none.
        func headerIsFatal() -> Bool {
            var position = index + 1
            func skipBlanks() { while at(position) == ascii(" ") || at(position) == ascii("\t") { position += 1 } }
            skipBlanks()
            if at(position) == ascii("[") {
                // `[ [` is an error toml++ reports; `[[` opens an array of tables.
                guard position == index + 1 else { return false }
                position += 1
                skipBlanks()
            }
            guard let next = at(position), next != ascii("]") else { return false }
            let isKeyStart = (ascii("a")...ascii("z")).contains(next) || (ascii("A")...ascii("Z")).contains(next)
                || (ascii("0")...ascii("9")).contains(next) || next == ascii("_") || next == ascii("-")
                || next == ascii("\"") || next == ascii("'")
            return !isKeyStart
        }

        /// Skips the string starting at `index`: single-line ones end at their quote or the
        /// line's end, multi-line ones at their closing triple quote; basic strings (`"`)
        /// have backslash escapes.
        mutating func skipString() {
            let quote = bytes[index]
            let escapes = quote == ascii("\"")
            if at(index + 1) == quote, at(index + 2) == quote {
                index += 3
                while index < bytes.count {
                    if escapes, bytes[index] == ascii("\\") {
                        if at(index + 1) == ascii("\n") { line += 1 }
                        index += 2
                    } else if bytes[index] == quote, at(index + 1) == quote, at(index + 2) == quote {
                        index += 3
                        return
                    } else {
                        if bytes[index] == ascii("\n") { line += 1 }
                        index += 1
                    }
                }
                return
            }
            index += 1
            while index < bytes.count, bytes[index] != ascii("\n") {
                if escapes, bytes[index] == ascii("\\"), at(index + 1) != ascii("\n") {
                    index += 2
                } else if bytes[index] == quote {
                    index += 1
                    return
                } else {
                    index += 1
                }
            }
        }
    }
}

private func ascii(_ scalar: Unicode.Scalar) -> UInt8 { UInt8(ascii: scalar) }
