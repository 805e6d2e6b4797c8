/// An error a Varlink method answers with: a qualified name and parameters.
public struct VarlinkError: Error, Sendable, Hashable, CustomStringConvertible {
    public let name: String
    public let parameters: JSONValue

    public init(name: String, parameters: JSONValue = .object([:])) {
        self.name = name
        self.parameters = parameters
    }

    public var description: String {
        if case .object(let members) = parameters, !members.isEmpty {
            let details = members.keys.sorted().map { "\($0)=\(members[$0].map(Self.text) ?? "")" }
            return "\(name) (\(details.joined(separator: ", ")))"
        }
        return name
    }

    private static func text(_ value: JSONValue) -> String {
        switch value {
        case .string(let text): text
        case .integer(let number): String(number)
        default: "\(value)"
        }
    }

    // The standard errors of org.varlink.service.
    public static func interfaceNotFound(_ interface: String) -> VarlinkError {
        VarlinkError(name: "org.varlink.service.InterfaceNotFound", parameters: .object(["interface": .string(interface)]))
    }

    public static func methodNotFound(_ method: String) -> VarlinkError {
        VarlinkError(name: "org.varlink.service.MethodNotFound", parameters: .object(["method": .string(method)]))
    }

    public static func methodNotImplemented(_ method: String) -> VarlinkError {
        VarlinkError(name: "org.varlink.service.MethodNotImplemented", parameters: .object(["method": .string(method)]))
    }

    public static func invalidParameter(_ parameter: String) -> VarlinkError {
        VarlinkError(name: "org.varlink.service.InvalidParameter", parameters: .object(["parameter": .string(parameter)]))
    }

    public static let permissionDenied = VarlinkError(name: "org.varlink.service.PermissionDenied")
    public static let expectedMore = VarlinkError(name: "org.varlink.service.ExpectedMore")
}
