/// One drill's figures, printed as a line `make soak` collects into its table
/// (`scripts/soak-table`): tab-separated after the `SOAK` tag, so that the test's other
/// output never looks like one.
public struct SoakReport: Sendable {
    public var drill: String
    public var cycles: Int
    public var lost: Int
    public var duplicated: Int
    public var integrityFailures: Int
    /// Nil for a drill that prints nothing.
    public var doublePrints: Int?
    public var maxRecovery: Duration

    public init(drill: String, cycles: Int, lost: Int, duplicated: Int, integrityFailures: Int, doublePrints: Int?, maxRecovery: Duration) {
        self.drill = drill
        self.cycles = cycles
        self.lost = lost
        self.duplicated = duplicated
        self.integrityFailures = integrityFailures
        self.doublePrints = doublePrints
        self.maxRecovery = maxRecovery
    }

    /// "SOAK\tpayments kill -9\t50\t0\t0\t0\t-\t1.84".
    public var line: String {
        let seconds = Double(maxRecovery.components.seconds) + Double(maxRecovery.components.attoseconds) / 1e18
        return ["SOAK", drill, "\(cycles)", "\(lost)", "\(duplicated)", "\(integrityFailures)", doublePrints.map(String.init) ?? "-",
                String(format: "%.2f", seconds)].joined(separator: "\t")
    }

    /// Prints the line on standard output.
    public func report() {
        print(line)
    }
}
