/// One Varlink interface the server offers.
public protocol VarlinkInterface: Sendable {
    /// The interface's name, e.g. "io.kioskd.Control".
    var name: String { get }
    /// The interface definition, as returned by GetInterfaceDescription.
    var definition: String { get }
    /// Answers a call to one of this interface's methods. Throw `VarlinkError` for errors
    /// the client should see; the server turns anything else into an internal error.
    func handle(_ call: VarlinkCall, caller: PeerCredentials) async throws -> VarlinkReply
    /// The answer to a call that needs no waiting, or nil to have `handle` answer it. It
    /// runs on the connection's event loop, so it must neither block nor wait; what it
    /// saves is the two thread switches of an async call.
    func answerNow(_ call: VarlinkCall, caller: PeerCredentials) throws -> VarlinkReply?
    /// The methods that answer with a stream of replies: called without `more`, they are
    /// refused with `org.varlink.service.ExpectedMore` before `handle` sees the call.
    var streamingMethods: Set<String> { get }
    /// The replies to a call of one of `streamingMethods` made with `more`, as they come,
    /// each but the last with `continues: true`. The server sends them as they are; after a
    /// last reply the connection serves the next call, and when the sequence ends without
    /// one or the client goes away, the connection is closed (a monitor reconnects). Throw
    /// `VarlinkError` to refuse the call with a single reply instead.
    func stream(_ call: VarlinkCall, caller: PeerCredentials) async throws -> AsyncStream<VarlinkReply>
}

extension VarlinkInterface {
    public func answerNow(_ call: VarlinkCall, caller: PeerCredentials) throws -> VarlinkReply? { nil }
    public var streamingMethods: Set<String> { [] }
    public func stream(_ call: VarlinkCall, caller: PeerCredentials) async throws -> AsyncStream<VarlinkReply> {
        throw VarlinkError.methodNotFound(call.method)
    }
}

/// What GetInfo says about the service.
public struct VarlinkServiceInfo: Sendable, Hashable, Codable {
    public var vendor: String
    public var product: String
    public var version: String
    public var url: String

    public init(vendor: String, product: String, version: String, url: String) {
        self.vendor = vendor
        self.product = product
        self.version = version
        self.url = url
    }
}

/// `org.varlink.service`, which every Varlink service offers: GetInfo and
/// GetInterfaceDescription.
struct VarlinkServiceInterface: VarlinkInterface {
    let info: VarlinkServiceInfo
    let interfaces: @Sendable () -> [any VarlinkInterface]

    var name: String { "org.varlink.service" }

    var definition: String {
        """
        # The Varlink Service Interface is provided by every varlink service. It
        # describes the service and the interfaces it implements.
        interface org.varlink.service

        # Get a list of all the interfaces a service provides and information
        # about the implementation.
        method GetInfo() -> (
          vendor: string,
          product: string,
          version: string,
          url: string,
          interfaces: []string
        )

        # Get the description of an interface that is implemented by this service.
        method GetInterfaceDescription(interface: string) -> (description: string)

        # The requested interface was not found.
        error InterfaceNotFound (interface: string)

        # The requested method was not found
        error MethodNotFound (method: string)

        # The interface defines the requested method, but the service does not
        # implement it.
        error MethodNotImplemented (method: string)

        # One of the passed parameters is invalid.
        error InvalidParameter (parameter: string)

        # Client is denied access
        error PermissionDenied ()

        # Method is expected to be called with 'more' set to true, but wasn't
        error ExpectedMore ()

        """
    }

    func handle(_ call: VarlinkCall, caller: PeerCredentials) async throws -> VarlinkReply {
        switch call.memberName {
        case "GetInfo":
            let names = interfaces().map { JSONValue.string($0.name) }
            return VarlinkReply(parameters: .object([
                "vendor": .string(info.vendor), "product": .string(info.product),
                "version": .string(info.version), "url": .string(info.url), "interfaces": .array(names),
            ]))
        case "GetInterfaceDescription":
            guard let requested = call.parameters?["interface"]?.stringValue else {
                throw VarlinkError.invalidParameter("interface")
            }
            guard let interface = interfaces().first(where: { $0.name == requested }) else {
                throw VarlinkError.interfaceNotFound(requested)
            }
            return VarlinkReply(parameters: .object(["description": .string(interface.definition)]))
        default:
            throw VarlinkError.methodNotFound(call.method)
        }
    }
}
