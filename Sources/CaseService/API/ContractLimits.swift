import CaseServiceAPI
import Foundation

/// The limits the contract's schema declares that the generated decoders do not check
/// (lengths, ranges, UUID formats, patterns). A handler collects a request's violations
/// here and `check()` throws them as one 400 problem, so what the schema refuses never
/// reaches the store.
///
/// Lengths are counted as JSON Schema counts them, in Unicode code points.
struct ContractLimits {
    private(set) var violations: [String] = []

    mutating func length(_ value: String?, _ name: String, min: Int = 0, max: Int? = nil) {
        guard let value else { return }
        let count = value.unicodeScalars.count
        if count < min { violations.append("\(name) has \(count) characters, at least \(min) expected") }
        if let max, count > max { violations.append("\(name) has \(count) characters, at most \(max) allowed") }
    }

    mutating func uuid(_ value: String?, _ name: String) {
        guard let value else { return }
        if UUID(uuidString: value) == nil { violations.append("\(name) is not a UUID") }
    }

    mutating func range<Value: BinaryInteger>(_ value: Value?, _ name: String, min: Value? = nil, max: Value? = nil) {
        guard let value else { return }
        if let min, value < min { violations.append("\(name) is \(value), at least \(min) expected") }
        if let max, value > max { violations.append("\(name) is \(value), at most \(max) allowed") }
    }

    /// `uniqueItems: true`.
    mutating func unique(_ values: [String], _ name: String) {
        if Set(values).count != values.count { violations.append("\(name) names an item twice") }
    }

    /// `^[0-9]{4}-[0-9]{2}-[0-9]{2}$`.
    mutating func day(_ value: String, _ name: String) {
        let bytes = Array(value.utf8)
        let digitsAt = [0, 1, 2, 3, 5, 6, 8, 9]
        guard bytes.count == 10, bytes[4] == UInt8(ascii: "-"), bytes[7] == UInt8(ascii: "-"),
              digitsAt.allSatisfy({ (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(bytes[$0]) })
        else {
            violations.append("\(name) is not YYYY-MM-DD")
            return
        }
    }

    /// `^[0-9A-Za-z]{count}$`.
    mutating func alphanumeric(_ value: String, _ name: String, count: Int) {
        guard value.unicodeScalars.count == count, value.unicodeScalars.allSatisfy({ $0.isASCII && $0.properties.isAlphabetic || ("0"..."9").contains($0) })
        else {
            violations.append("\(name) is not \(count) letters or digits")
            return
        }
    }

    /// `KioskId`: `^[A-Za-z0-9-]{1,16}$`.
    mutating func kioskID(_ value: String, _ name: String) {
        let scalars = value.unicodeScalars
        guard (1...16).contains(scalars.count), scalars.allSatisfy({ $0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0) || $0 == "-") })
        else {
            violations.append("\(name) is not 1 to 16 letters, digits and dashes")
            return
        }
    }

    /// `^[0-9a-f]{64}$`.
    mutating func lowercaseHex64(_ value: String, _ name: String) {
        lowercaseHex(value, name, count: 64)
    }

    /// `maxItems`.
    mutating func count(_ values: [some Any], _ name: String, max: Int) {
        if values.count > max { violations.append("\(name) has \(values.count) items, at most \(max) allowed") }
    }

    /// `^[0-9a-f]{count}$`.
    mutating func lowercaseHex(_ value: String, _ name: String, count: Int) {
        if value.unicodeScalars.count != count
            || !value.unicodeScalars.allSatisfy({ ("0"..."9").contains($0) || ("a"..."f").contains($0) }) {
            violations.append("\(name) is not \(count) lowercase hex digits")
        }
    }

    /// `^[0-9]{count}$`.
    mutating func digits(_ value: String, _ name: String, count: Int) {
        if value.unicodeScalars.count != count || !value.unicodeScalars.allSatisfy({ ("0"..."9").contains($0) }) {
            violations.append("\(name) is not \(count) digits")
        }
    }

    /// Throws the violations as one 400 problem; returns when there are none.
    func check() throws {
        guard !violations.isEmpty else { return }
        throw ContractProblem.invalidRequest(violations.joined(separator: "; "))
    }

    /// Collects the violations `build` finds in fresh limits and throws them as `check()` does.
    static func check(_ build: (inout ContractLimits) -> Void) throws {
        var limits = ContractLimits()
        build(&limits)
        try limits.check()
    }
}

extension Components.Schemas.ApplicationSubmission {
    func limits(into limits: inout ContractLimits) {
        limits.uuid(applicationId, "applicationId")
        limits.length(applicationNumber, "applicationNumber", max: 32)
        limits.length(itemId, "itemId", max: 64)
        limits.length(delivery.address, "delivery.address", max: 200)
        limits.unique(subItems, "subItems")
        if let digest = identityProof?.tokenDigest { limits.lowercaseHex(digest, "identityProof.tokenDigest", count: 64) }
    }
}

extension Components.Schemas.RatingSubmission {
    func limits(into limits: inout ContractLimits) {
        limits.uuid(ratingId, "ratingId")
        limits.range(level, "level", min: 1, max: 5)
        limits.length(reason, "reason", max: 200)
    }
}

extension Components.Schemas.PaymentOrderRequest {
    func limits(into limits: inout ContractLimits) {
        limits.uuid(orderId, "orderId")
        limits.range(amountFen, "amountFen", min: 1)
    }
}

extension Components.Schemas.PaymentReport {
    func limits(into limits: inout ContractLimits) {
        limits.uuid(orderId, "orderId")
        limits.length(terminal, "terminal", max: 40)
        limits.range(sequence, "sequence", min: 1)
        limits.length(hash, "hash", min: 64, max: 64)
    }
}

extension Components.Schemas.VerifiedPerson {
    func limits(into limits: inout ContractLimits) {
        limits.length(idNumber, "idNumber", min: 18, max: 18)
        limits.length(name, "name", max: 40)
        limits.length(proof.token, "proof.token", max: 64)
    }
}

extension Components.Schemas.SettlementSubmission {
    func limits(into limits: inout ContractLimits) {
        limits.day(day, "day")
        limits.length(timeZone, "timeZone", max: 64)
        limits.length(reportHash, "reportHash", min: 64, max: 64)
        limits.range(paymentCount, "paymentCount", min: 0, max: Int(Int32.max))
        limits.range(reversalCount, "reversalCount", min: 0, max: Int(Int32.max))
        limits.range(unprintedReceipts, "unprintedReceipts", min: 0, max: Int(Int32.max))
        limits.range(paidAfterSession, "paidAfterSession", min: 0, max: Int(Int32.max))
        for (index, line) in lines.enumerated() {
            let name = "lines[\(index)]"
            limits.length(line.itemId, name + ".itemId", max: 256)
            limits.length(line.channel, name + ".channel", max: 256)
            limits.range(line.paymentCount, name + ".paymentCount", min: 0, max: Int(Int32.max))
            limits.range(line.reversalCount, name + ".reversalCount", min: 0, max: Int(Int32.max))
        }
        for (index, terminal) in terminals.enumerated() {
            let name = "terminals[\(index)]"
            limits.length(terminal.terminal, name + ".terminal", max: 256)
            limits.range(terminal.recordCount, name + ".recordCount", min: 1, max: Int(Int32.max))
            limits.range(terminal.firstSequence, name + ".firstSequence", min: 1)
            limits.range(terminal.lastSequence, name + ".lastSequence", min: 1)
            limits.length(terminal.head, name + ".head", min: 64, max: 64)
        }
        for (index, reversal) in reversals.enumerated() {
            let name = "reversals[\(index)]"
            limits.length(reversal.terminal, name + ".terminal", max: 256)
            limits.range(reversal.sequence, name + ".sequence", min: 1)
            limits.range(reversal.reverses, name + ".reverses", min: 1)
            limits.length(reversal.itemId, name + ".itemId", max: 256)
            limits.length(reversal.channel, name + ".channel", max: 256)
        }
        for (index, payment) in payments.enumerated() {
            let name = "payments[\(index)]"
            limits.length(payment.orderId, name + ".orderId", max: 256)
            limits.length(payment.terminal, name + ".terminal", max: 256)
            limits.range(payment.sequence, name + ".sequence", min: 1)
            limits.length(payment.itemId, name + ".itemId", max: 256)
            limits.length(payment.channel, name + ".channel", max: 256)
        }
    }
}
