import Foundation

/// Reading a call's parameters by their declared type. A parameter that is absent (or
/// null) reads as nil; one of another type is `org.varlink.service.InvalidParameter`
/// naming it, never quietly taken for its default (`failed: "yes"` is not `false`).
extension VarlinkCall {
    /// The parameters as `type` (snake_case keys). A required parameter that is missing or
    /// null, or any of another type than declared, is `InvalidParameter` naming it.
    public func decodeParameters<Parameters: Decodable>(_ type: Parameters.Type) throws -> Parameters {
        let object = parameters ?? .object([:])
        guard case .object = object else { throw VarlinkError.invalidParameter("parameters") }
        do {
            return try object.decode(type)
        } catch let error as DecodingError {
            throw VarlinkError.invalidParameter(Self.parameterName(of: error))
        }
    }

    /// The top-level parameter a decoding error is about.
    private static func parameterName(of error: DecodingError) -> String {
        switch error {
        case .keyNotFound(let key, let context):
            return context.codingPath.first?.stringValue ?? key.stringValue
        case .typeMismatch(_, let context), .valueNotFound(_, let context), .dataCorrupted(let context):
            return context.codingPath.first?.stringValue ?? "parameters"
        @unknown default:
            return "parameters"
        }
    }
}
