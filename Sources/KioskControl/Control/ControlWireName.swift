import KioskCore

/// A KioskCore enum whose values the control interface names.
///
/// Varlink names allow no hyphen, so `io.kioskd.Control` writes each value in snake_case
/// (`hall_staff`, `acceptance_slip`, `centre_only`) while KioskCore keeps its raw values
/// (`hall-staff`), which the database stores, the log and CUPS job titles show, and the
/// centre's API uses. A type's wire names are declared here, by its conformance, and
/// nowhere else: the server writes `wireName`, kioskctl reads back with `init(wireName:)`.
public protocol ControlWireName: RawRepresentable where RawValue == String {}

extension ControlWireName {
    /// The value as the interface file names it: the raw value with `-` written as `_`.
    public var wireName: String { rawValue.replacingOccurrences(of: "-", with: "_") }

    /// The value the interface names `wireName`; nil for a name the type does not have.
    /// Raw values use no `_`, so the mapping is one-to-one.
    public init?(wireName: String) {
        guard !wireName.contains("-") else { return nil }
        self.init(rawValue: wireName.replacingOccurrences(of: "_", with: "-"))
    }
}

extension PrinterCondition.Responsible: ControlWireName {}
extension PrinterCondition.Severity: ControlWireName {}
extension PrintRole: ControlWireName {}
extension PrintKind: ControlWireName {}
extension PrintJobState: ControlWireName {}
extension PrintOutcome.Result: ControlWireName {}
extension SettlementAnswer.OrderDifference.Side: ControlWireName {}
