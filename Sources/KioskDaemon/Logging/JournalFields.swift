/// journald's native protocol: how fields are named and packed into one datagram.
public enum JournalFields {
    /// The longest value sent; longer ones are cut (a log line is never that long unless
    /// something hostile made it so).
    static let maximumValueBytes = 16 * 1024

    /// `KIOSKD_` and the key in upper case with anything but letters, digits and `_` as `_`;
    /// nil for a key that would not make a valid field name (journald allows at most 64
    /// characters, and none starting with `_`, which are its own trusted fields).
    public static func name(forMetadataKey key: String) -> String? {
        let body = String(key.uppercased().unicodeScalars.map { scalar -> Character in
            switch scalar {
            case "A"..."Z", "0"..."9", "_": Character(scalar)
            default: "_"
            }
        })
        let name = "KIOSKD_" + body
        return body.isEmpty || name.utf8.count > 64 ? nil : name
    }

    /// One entry: `NAME=value\n` for values without a newline; otherwise `NAME\n`, the
    /// value's length as a little-endian 64-bit number, the value and `\n`.
    public static func datagram(_ fields: [(String, String)]) -> [UInt8] {
        var bytes: [UInt8] = []
        for (name, value) in fields {
            var data = Array(value.utf8)
            if data.count > maximumValueBytes { data = Array(data[..<maximumValueBytes]) }
            bytes += Array(name.utf8)
            if data.contains(UInt8(ascii: "\n")) {
                bytes.append(UInt8(ascii: "\n"))
                withUnsafeBytes(of: UInt64(data.count).littleEndian) { bytes += $0 }
                bytes += data
            } else {
                bytes.append(UInt8(ascii: "="))
                bytes += data
            }
            bytes.append(UInt8(ascii: "\n"))
        }
        return bytes
    }

    /// Parses a datagram back into its fields, in order: for tests and tools that read what
    /// was sent. Nil when the bytes are not a well-formed entry.
    public static func parse(_ bytes: [UInt8]) -> [(String, String)]? {
        var fields: [(String, String)] = []
        var index = 0
        while index < bytes.count {
            guard let end = bytes[index...].firstIndex(where: { $0 == UInt8(ascii: "\n") || $0 == UInt8(ascii: "=") }) else { return nil }
            let name = String(decoding: bytes[index..<end], as: UTF8.self)
            if bytes[end] == UInt8(ascii: "=") {
                guard let newline = bytes[end...].firstIndex(of: UInt8(ascii: "\n")) else { return nil }
                fields.append((name, String(decoding: bytes[(end + 1)..<newline], as: UTF8.self)))
                index = newline + 1
            } else {
                guard end + 9 <= bytes.count else { return nil }
                var length: UInt64 = 0
                for offset in 0..<8 { length |= UInt64(bytes[end + 1 + offset]) << (8 * UInt64(offset)) }
                let start = end + 9
                guard length <= UInt64(bytes.count - start), start + Int(length) < bytes.count,
                      bytes[start + Int(length)] == UInt8(ascii: "\n") else { return nil }
                fields.append((name, String(decoding: bytes[start..<(start + Int(length))], as: UTF8.self)))
                index = start + Int(length) + 1
            }
        }
        return fields
    }
}
