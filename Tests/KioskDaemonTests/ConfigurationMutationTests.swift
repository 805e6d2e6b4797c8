import Foundation
import KioskCore
import KioskDaemon
import KioskTesting
import Testing

/// Mutation tests of the two TOML loaders (not libFuzzer: TOMLKit is C++ and is not built
/// by `scripts/fuzz`). From the shipped `kioskd.toml` (every key switched on) and a shipped
/// catalog file, a seeded generator makes thousands of broken variants: flipped bytes,
/// truncation at every line and inside lines, duplicated keys, values of the wrong type,
/// huge numbers, NULs, invalid UTF-8, deep nesting. Each must load or be refused with a
/// `ConfigurationError` that names the file, a line and the key; none may crash or hang.
@Suite("Configuration and catalog mutation tests", .timeLimit(.minutes(1)))
struct ConfigurationMutationTests {
    static let repository: URL = {
        var url = URL(fileURLWithPath: #filePath)
        for _ in 0..<3 { url.deleteLastPathComponent() }
        return url
    }()

    /// The shipped configuration with every commented key line switched on.
    static let configuration: String = {
        let text = (try? String(contentsOf: repository.appendingPathComponent("Resources/kioskd.toml"), encoding: .utf8)) ?? ""
        return text.split(separator: "\n", omittingEmptySubsequences: false).map { line -> String in
            let body = line.dropFirst()
            let isKeyLine = line.hasPrefix("#") && (body.first?.isLetter == true || body.hasPrefix("["))
            return isKeyLine ? String(body) : String(line)
        }.joined(separator: "\n")
    }()

    static let catalog = (try? String(
        contentsOf: repository.appendingPathComponent("Resources/catalog/person-01-birth.toml"), encoding: .utf8
    )) ?? ""

    /// What loading one variant gave, and what is wrong with how it was refused.
    enum Outcome: Hashable, Sendable {
        case loaded
        case refused(kind: String)
    }

    /// Outcome counts of a batch of variants, and the first faults found.
    struct Batch: Sendable {
        var outcomes: [Outcome: Int] = [:]
        var faults: [String] = []
        var count: Int { outcomes.values.reduce(0, +) }

        /// Loads every variant of `text` from `seed` with `load`. Runs on a thread of its
        /// own: a few seconds of parsing must not hold a thread of the cooperative pool.
        static func run(seed: UInt64, text: String, count: Int, _ load: @escaping @Sendable (String) -> (Outcome, String?)) async throws -> Batch {
            try await offPool {
                var batch = Batch()
                var mutator = Mutator(seed: seed, text: text)
                for mutant in mutator.mutants(count: count) {
                    let (outcome, fault) = load(mutant)
                    batch.outcomes[outcome, default: 0] += 1
                    if let fault, batch.faults.count < 5 { batch.faults.append(fault) }
                }
                return batch
            }
        }
    }

    @Test("Thousands of broken kioskd.toml files load or are refused naming the file, a line and the key")
    func configurationMutants() async throws {
        // Given the shipped configuration, which loads
        #expect(Self.configuration.contains("kiosk_id = \"hall-1\""))
        #expect(Self.load(configuration: Self.configuration) == (.loaded, nil))
        // When 1,200 random variants of it and its truncations at every line are loaded
        let batch = try await Batch.run(seed: 15, text: Self.configuration, count: 1200, Self.load(configuration:))
        // Then each loaded or was refused as it should be, and the variants reached every
        // kind of refusal, not only syntax errors
        #expect(batch.faults == [])
        for kind in ["syntax", "unknown-key", "wrong-type", "invalid-value"] {
            #expect(batch.outcomes[.refused(kind: kind), default: 0] > 0, "no variant was refused as \(kind): \(batch.outcomes)")
        }
        #expect(batch.outcomes[.loaded, default: 0] > 0 && batch.count > 1300)
    }

    @Test("Thousands of broken catalog files load or are refused naming the file, a line and the key")
    func catalogMutants() async throws {
        // Given a shipped catalog file, which loads
        #expect(Self.load(catalog: Self.catalog) == (.loaded, nil))
        // When 800 random variants of it and its truncations at every line are loaded
        let batch = try await Batch.run(seed: 16, text: Self.catalog, count: 800, Self.load(catalog:))
        // Then each loaded or was refused as it should be, with every kind of refusal seen
        #expect(batch.faults == [])
        for kind in ["syntax", "unknown-key", "wrong-type", "invalid-value", "missing-key"] {
            #expect(batch.outcomes[.refused(kind: kind), default: 0] > 0, "no variant was refused as \(kind): \(batch.outcomes)")
        }
        #expect(batch.outcomes[.loaded, default: 0] > 0 && batch.count > 900)
    }

    @Test("A NUL anywhere in a configuration or catalog file is refused at its line, not read as the end of the file")
    func nulIsRefused() {
        // Given the shipped files with a NUL at the start of line 9 and then garbage
        for (text, load) in [(Self.configuration, Self.load(configuration:)), (Self.catalog, Self.load(catalog:))] {
            var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
            lines[8] = "\0 this is not TOML = = ="
            // When it is loaded / Then it is a syntax error on line 9
            #expect(load(lines.joined(separator: "\n")) == (.refused(kind: "syntax"), nil))
        }
        #expect(Self.refusal(configuration: "[daemon]\nlog_level = \"info\"\0\n[nonsense")?.line == 2)
    }

    @Test("A table header without a key is a syntax error at its line, not an abort inside toml++ (found by these tests)")
    func headerWithoutKey() {
        // Given headers whose [ or [[ is followed by no key: toml++ asserted on each, and the
        // assertion (on in release builds too) stopped the process
        let fatal = ["[", "[[", "[ ", "[[ \t", "[#x]", "[=]", "[.a]", "[,]", "[\r", "[[{", "\u{FEFF}["]
        for header in fatal {
            // When each stands on line 3 of a configuration
            let error = Self.refusal(configuration: "[daemon]\nlog_level = \"info\"\n\(header)\nx = 1")
            // Then it is a syntax error on line 3
            #expect(error?.kindName == "syntax" && error?.line == 3, "\(header.debugDescription): \(String(describing: error))")
        }
        // And lines starting with [ inside values, and headers toml++ refuses by itself, are left to it
        #expect(Self.refusal(configuration: "a = [\n[\n1]\n]")?.kindName == "unknown-key")
        #expect(Self.refusal(configuration: "[hall]\nname = \"\"\"\n[\n\"\"\"")?.kindName == "invalid-value")
        #expect(Self.refusal(configuration: "[hall]\nname = '''\n[=]'''") == nil)
        #expect(Self.refusal(configuration: "[ [daemon]]")?.kindName == "syntax")
        #expect(Self.refusal(configuration: "[]")?.kindName == "syntax")
        #expect(Self.refusal(configuration: "[\"daemon\"]\nlog_level = \"debug\"") == nil)
    }

    @Test("Files that are not UTF-8 are refused as unreadable, naming the file")
    func invalidUTF8() throws {
        // Given a folder with a configuration file and a catalog file broken by invalid UTF-8
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("kioskd-mutation-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        var generator = SeededGenerator(seed: 17)
        for invalid: [UInt8] in [[0xFF], [0xC0, 0x80], [0xE4, 0xB8], [0xED, 0xA0, 0x80], [0xF8, 0x88, 0x80, 0x80, 0x80]] {
            for (name, text) in [("kioskd.toml", Self.configuration), ("stage.toml", Self.catalog)] {
                var bytes = Array(text.utf8)
                bytes.insert(contentsOf: invalid, at: Int.random(in: 0...bytes.count, using: &generator))
                let path = folder.appendingPathComponent(name).path
                try Data(bytes).write(to: URL(fileURLWithPath: path))
                // When it is loaded from disk
                let refused: ConfigurationError?
                do {
                    if name == "kioskd.toml" { _ = try ConfigurationLoader.load(path: path) } else { _ = try CatalogLoader.load(directory: folder.path) }
                    refused = nil
                } catch {
                    refused = error
                }
                // Then it is unreadable, and the error names the file
                #expect(refused?.kindName == "unreadable" && refused?.file == path, "\(invalid) in \(name): \(String(describing: refused))")
                try FileManager.default.removeItem(atPath: path)
            }
        }
    }

    // MARK: Loading and checking one variant

    static func refusal(configuration text: String) -> ConfigurationError? {
        do {
            _ = try ConfigurationLoader.parse(text, file: "mutant.toml")
            return nil
        } catch {
            return error
        }
    }

    @Sendable static func load(configuration text: String) -> (Outcome, String?) {
        guard let error = refusal(configuration: text) else { return (.loaded, nil) }
        return check(error, file: "mutant.toml", text: text)
    }

    @Sendable static func load(catalog text: String) -> (Outcome, String?) {
        do {
            _ = try CatalogLoader.load(files: [(name: "stage.toml", text: text)])
            return (.loaded, nil)
        } catch {
            return check(error, file: "stage.toml", text: text)
        }
    }

    /// The kind of refusal, and what is wrong with it: `error` must name `file`, a line of
    /// `text` and a key that belongs on that line.
    static func check(_ error: ConfigurationError, file: String, text: String) -> (Outcome, String?) {
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        var problems: [String] = []
        if error.file != file { problems.append("names \(error.file), not \(file)") }
        if error.kindName == "syntax" {
            // TOMLKit counts lines as toml++ does; the error must fall inside the file.
            if !(1...(lines.count + 1)).contains(error.line) { problems.append("syntax error at line \(error.line) of \(lines.count)") }
            if !error.key.isEmpty { problems.append("a syntax error names key \(error.key)") }
        } else {
            if error.key.isEmpty { problems.append("names no key") }
            // The line is the key's own, or its table's: it mentions one of the key's parts.
            let parts = error.key.split(separator: ".").map { String($0.prefix { $0 != "[" }) }
            if error.line == 0 {
                // No line only for a key written nowhere (a missing key, a missing [[item]]).
                if lines.contains(where: { writes($0, parts.last ?? "") }) { problems.append("names no line") }
            } else if error.line > lines.count {
                problems.append("names line \(error.line) of \(lines.count)")
            } else if !parts.contains(where: { lines[error.line - 1].contains($0) }) {
                problems.append("line \(error.line) \"\(lines[error.line - 1])\" does not mention \(error.key)")
            }
        }
        let fault = problems.isEmpty ? nil : "\(error): \(problems.joined(separator: "; "))\n--- variant ---\n\(text)"
        return (.refused(kind: error.kindName), fault)
    }

    /// Whether `line` writes the key or table `name` (as `name = …`, `name.x = …`, `[name…`
    /// or `[[name…`).
    static func writes(_ line: Substring, _ name: String) -> Bool {
        var text = line.drop { $0 == " " || $0 == "\t" }
        while text.first == "[" { text = text.dropFirst() }
        guard text.hasPrefix(name) else { return false }
        return text.dropFirst(name.count).first.map { " =.]".contains($0) } ?? true
    }
}

/// Makes broken variants of a TOML text, the same ones for the same seed.
struct Mutator {
    var generator: SeededGenerator
    let text: String
    let lines: [Substring]
    /// Lines of the form `key = value`.
    let keyLines: [Int]

    init(seed: UInt64, text: String) {
        generator = SeededGenerator(seed: seed)
        self.text = text
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        self.lines = lines
        keyLines = lines.indices.filter { lines[$0].contains(" = ") && !lines[$0].hasPrefix("#") }
    }

    static let wrongValues = [
        "\"text\"", "1", "-1", "0", "true", "[1, 2]", "[]", "[\"a\", 1]", "{ a = 1 }", "1979-05-27T07:32:00Z", "07:32:00",
        "1.5", "inf", "nan", "-0", "\"\"", "'literal'", "\"\"\"\nmulti\nline\"\"\"", "\"\\u0000\"", "\"\\u001b[2J\"",
    ]
    static let hugeValues = [
        "9223372036854775807", "9223372036854775808", "-9223372036854775808", "-9223372036854775809",
        "99999999999999999999999999", "1e400", "0x7FFFFFFFFFFFFFFF", "0b1111111111111111111111111111111111111111111111111111111111111111",
        "\"" + String(repeating: "长", count: 5000) + "\"",
    ]

    /// Every truncation at a line end, then `count` random variants.
    mutating func mutants(count: Int) -> [String] {
        var result = (0..<lines.count).map { lines[..<$0].joined(separator: "\n") }
        for _ in 0..<count { result.append(mutant()) }
        return result
    }

    mutating func mutant() -> String {
        var lines = self.lines.map(String.init)
        let key = keyLines.randomElement(using: &generator) ?? 0
        let (name, _) = Self.split(lines[key])
        switch Int.random(in: 0..<10, using: &generator) {
        case 0:
            // Flipped bits; bytes that stop being UTF-8 are read as U+FFFD, as String(decoding:) does.
            var bytes = Array(text.utf8)
            for _ in 0..<Int.random(in: 1...4, using: &generator) where !bytes.isEmpty {
                bytes[Int.random(in: 0..<bytes.count, using: &generator)] ^= 1 << UInt8.random(in: 0..<8, using: &generator)
            }
            return String(decoding: bytes, as: UTF8.self)
        case 1:
            // Cut anywhere, inside a line or a character.
            let bytes = Array(text.utf8)
            return String(decoding: bytes.prefix(Int.random(in: 0...bytes.count, using: &generator)), as: UTF8.self)
        case 2:
            // A key written twice, with its value or another.
            let value = Bool.random(using: &generator) ? Self.split(lines[key]).value : Self.wrongValues.randomElement(using: &generator)!
            lines.insert("\(name) = \(value)", at: Int.random(in: key...min(lines.count, key + 3), using: &generator))
        case 3:
            lines[key] = "\(name) = \(Self.wrongValues.randomElement(using: &generator)!)"
        case 4:
            lines[key] = "\(name) = \(Self.hugeValues.randomElement(using: &generator)!)"
        case 5:
            // A NUL or another control character inside a line.
            var line = Array(lines[key].unicodeScalars)
            let control = ["\0", "\u{1B}", "\u{7F}", "\u{0B}", "\r"].randomElement(using: &generator)!.unicodeScalars.first!
            line.insert(control, at: Int.random(in: 0...line.count, using: &generator))
            lines[key] = String(String.UnicodeScalarView(line))
        case 6:
            // A line removed, or two lines swapped.
            let other = Int.random(in: 0..<lines.count, using: &generator)
            if Bool.random(using: &generator) { lines.remove(at: other) } else { lines.swapAt(key, other) }
        case 7:
            // A table header broken, repeated, or made an array of tables.
            let headers = lines.indices.filter { lines[$0].hasPrefix("[") }
            guard let header = headers.randomElement(using: &generator) else { break }
            let table = lines[header].trimmingCharacters(in: CharacterSet(charactersIn: "[]"))
            lines[header] = ["[\(table)", "[[\(table)]]", "[\(table).\(table)]", "[\(table)]\n[\(table)]", "[]", "[\"\(table)\"]"]
                .randomElement(using: &generator)!
        case 8:
            // Deep nesting, or a key name nobody knows.
            let depth = Int.random(in: 1...3000, using: &generator)
            lines[key] = Bool.random(using: &generator)
                ? "\(name) = \(String(repeating: "[", count: depth))\(String(repeating: "]", count: depth))"
                : "\(name)_typo = 1"
        default:
            // A random line put somewhere.
            let line = ["=", "x =", "= 1", "a.b.c = 1", "[[", "\"unterminated = 1", "x = \"\"\"", "a = 1 # ok", "[terminal]", "name = \"t\""]
                .randomElement(using: &generator)!
            lines.insert(line, at: Int.random(in: 0...lines.count, using: &generator))
        }
        return lines.joined(separator: "\n")
    }

    static func split(_ line: String) -> (name: String, value: String) {
        guard let equals = line.range(of: " = ") else { return (line, "") }
        return (String(line[..<equals.lowerBound]), String(line[equals.upperBound...]))
    }
}
