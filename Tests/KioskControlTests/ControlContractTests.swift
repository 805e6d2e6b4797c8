import Foundation
import KioskControl
import Testing

/// The one typed contract: the shipped interface file, `ControlMethods` and the server's
/// handlers name the same methods, and each method's Swift parameter and reply types read
/// exactly what the interface file declares.
@Suite("The io.kioskd.Control contract")
struct ControlContractTests {
    static let interface = VarlinkInterfaceFile(ControlInterface.definitionText)

    @Test("Every method in the .varlink file is in ControlMethods, in the same order, and has a handler; every handler is declared")
    func methodsHandlersAndDeclarationsAgree() {
        // Given the interface file's methods, the table's and the server's handlers
        let declared = Self.interface.methods.map(\.name)
        let table = ControlMethods.all.map { $0.name }
        let handled = ControlInterface.handledMethodNames.union(ControlInterface.streamingMethodNames)
        // Then they are the same methods
        #expect(!declared.isEmpty)
        #expect(table == declared)
        #expect(handled == Set(declared), "handlers without a declaration: \(handled.subtracting(declared)), declarations without a handler: \(Set(declared).subtracting(handled))")
        #expect(ControlInterface.handledMethodNames.isDisjoint(with: ControlInterface.streamingMethodNames))
    }

    @Test("Each method's Parameters type decodes every parameter the interface declares, with its declared type, and needs no other")
    func parametersMatchTheInterface() throws {
        for method in ControlMethods.all {
            try Self.checkParameters(method)
        }
    }

    @Test("Each method's Reply type decodes a reply with every field the interface declares, and encodes back the same fields")
    func repliesMatchTheInterface() throws {
        for method in ControlMethods.all {
            try Self.checkReply(method)
        }
    }

    @Test("A parameter of another type than declared, or a required one missing, is InvalidParameter naming it")
    func wrongParameterTypes() throws {
        let cases: [(JSONValue, String)] = [
            (.object(["failed": .string("yes")]), "failed"),
            (.object(["number": .integer(1)]), "number"),
            (.object([:]), "number"),
            (.object(["number": .null]), "number"),
            (.array([]), "parameters"),
        ]
        for (parameters, name) in cases {
            let method = name == "failed" ? ControlMethods.Jobs.qualifiedName : ControlMethods.Reprint.qualifiedName
            let call = VarlinkCall(method: method, parameters: parameters)
            #expect(throws: VarlinkError.invalidParameter(name), "\(parameters)") {
                if name == "failed" { _ = try call.decodeParameters(ControlMethods.Jobs.Parameters.self) }
                else { _ = try call.decodeParameters(ControlMethods.Reprint.Parameters.self) }
            }
        }
    }

    static func checkParameters<Method: ControlMethod>(_ method: Method.Type) throws {
        let declaration = try #require(interface.methods.first { $0.name == Method.name })
        // A sample with every declared parameter decodes, and encodes back to the same keys
        let sample = interface.sample(ofFields: declaration.parameters)
        let decoded = try sample.decode(Method.Parameters.self)
        let again = try JSONValue(encoding: decoded)
        #expect(again.objectKeys == sample.objectKeys, "\(Method.name) parameters: \(again.objectKeys) vs declared \(sample.objectKeys)")
        // And without the optional ones it still decodes: nothing else is required
        let required = interface.sample(ofFields: declaration.parameters.filter { !$0.type.hasPrefix("?") })
        #expect(throws: Never.self, "\(Method.name) requires an undeclared parameter") { _ = try required.decode(Method.Parameters.self) }
    }

    static func checkReply<Method: ControlMethod>(_ method: Method.Type) throws {
        let declaration = try #require(interface.methods.first { $0.name == Method.name })
        let sample = interface.sample(ofFields: declaration.reply)
        let decoded: Method.Reply
        do {
            decoded = try sample.decode(Method.Reply.self)
        } catch {
            Issue.record("\(Method.name) reply does not decode the declared fields: \(error)")
            return
        }
        let again = try JSONValue(encoding: decoded)
        #expect(again.fieldPaths == sample.fieldPaths, "\(Method.name) reply fields differ: extra \(again.fieldPaths.subtracting(sample.fieldPaths)), missing \(sample.fieldPaths.subtracting(again.fieldPaths))")
    }
}
