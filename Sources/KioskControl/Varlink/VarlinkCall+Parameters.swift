/// Reading a call's parameters by their declared type. A parameter that is absent (or
/// null) reads as nil; one of another type is `org.varlink.service.InvalidParameter`
/// naming it, never quietly taken for its default (`failed: "yes"` is not `false`).
extension VarlinkCall {
    public func optionalBool(_ name: String) throws -> Bool? {
        try typed(name) { $0.boolValue }
    }

    public func optionalInteger(_ name: String) throws -> Int64? {
        try typed(name) { $0.integerValue }
    }

    public func optionalString(_ name: String) throws -> String? {
        try typed(name) { $0.stringValue }
    }

    /// A parameter that must be there.
    public func required<T>(_ name: String, _ read: (VarlinkCall) -> (String) throws -> T?) throws -> T {
        guard let value = try read(self)(name) else { throw VarlinkError.invalidParameter(name) }
        return value
    }

    private func typed<T>(_ name: String, _ read: (JSONValue) -> T?) throws -> T? {
        guard let value = parameters?[name], value != .null else { return nil }
        guard let typed = read(value) else { throw VarlinkError.invalidParameter(name) }
        return typed
    }
}
