import Foundation

/// A method call as a Varlink client sends it.
public struct VarlinkCall: Sendable, Hashable, Codable {
    /// The fully qualified method, e.g. "io.kioskd.Control.Status".
    public var method: String
    public var parameters: JSONValue?
    /// The client wants no reply.
    public var oneway: Bool?
    /// The client accepts several replies (a stream), each with `continues: true` but the last.
    public var more: Bool?
    public var upgrade: Bool?

    public init(method: String, parameters: JSONValue? = nil, oneway: Bool? = nil, more: Bool? = nil) {
        self.method = method
        self.parameters = parameters
        self.oneway = oneway
        self.more = more
    }

    /// The interface part of the method name.
    public var interface: String {
        guard let dot = method.lastIndex(of: ".") else { return "" }
        return String(method[..<dot])
    }

    /// The method's own name, after the interface.
    public var memberName: String {
        guard let dot = method.lastIndex(of: ".") else { return method }
        return String(method[method.index(after: dot)...])
    }
}

/// A reply: parameters on success, or an error name with its parameters.
public struct VarlinkReply: Sendable, Hashable, Codable {
    public var parameters: JSONValue?
    public var error: String?
    public var continues: Bool?
    /// Parameters already encoded as a JSON object, sent as they are (the server's fast
    /// path: a typed reply is encoded once, not turned into `JSONValue` first).
    var encodedParameters: [UInt8]?

    enum CodingKeys: String, CodingKey {
        case parameters, error, continues
    }

    /// A successful reply whose parameters are `value`, encoded once with snake_case keys.
    public init(encoding value: some Encodable) throws {
        parameters = nil
        encodedParameters = Array(try JSONValue.encoder.encode(value))
    }

    /// A reply whose parameters are this JSON object, already encoded.
    init(encodedParameters: [UInt8]) {
        parameters = nil
        self.encodedParameters = encodedParameters
    }

    public init(parameters: JSONValue? = .object([:]), error: String? = nil, continues: Bool? = nil) {
        self.parameters = parameters
        self.error = error
        self.continues = continues
    }

    public init(_ error: VarlinkError) {
        self.init(parameters: error.parameters, error: error.name)
    }
}

extension VarlinkCall {
    /// The bytes of this call on the wire: JSON followed by a NUL.
    public func frame() throws -> [UInt8] {
        try Array(JSONEncoder().encode(self)) + [0]
    }
}

extension VarlinkReply {
    /// The bytes of this reply on the wire: JSON followed by a NUL.
    public func frame() throws -> [UInt8] {
        if let encodedParameters, error == nil {
            var bytes = Array(#"{"parameters":"#.utf8)
            bytes.reserveCapacity(encodedParameters.count + 32)
            bytes += encodedParameters
            if let continues { bytes += Array(#","continues":\#(continues)"#.utf8) }
            bytes += [UInt8(ascii: "}"), 0]
            return bytes
        }
        return try Array(JSONEncoder().encode(self)) + [0]
    }
}
