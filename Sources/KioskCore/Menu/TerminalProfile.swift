/// What kind of desk a terminal serves; decides which services its home menu offers.
public enum TerminalProfile: String, Sendable, Hashable, CaseIterable, Codable {
    /// A terminal of the 24-hour self-service zone, used by citizens alone.
    case citizen
    /// A terminal at a bank branch's enterprise-opening desk, used with a clerk.
    case enterprise
}
