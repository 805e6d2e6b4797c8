import KioskControl
import KioskCore
import Logging

/// Reads the configuration file and the catalog again, for SIGHUP and the `Reload`
/// method alike, and says what changed: the catalog (and `[catalog] directory`) applies
/// live, on each terminal between sessions, and so do the settings `LiveSettings` holds
/// (session idle timing, control socket idle timeout and caps); every other setting that
/// differs from the one the daemon started with needs a restart, and stays as it was until
/// then. A broken file changes nothing.
final class Reloader: Sendable {
    let configurationPath: String?
    /// The configuration the daemon runs with: what a reload is compared with.
    let running: KioskConfiguration
    let catalog: CatalogStore
    let live: LiveSettings
    let logger: Logger

    init(configurationPath: String?, running: KioskConfiguration, catalog: CatalogStore, live: LiveSettings, logger: Logger) {
        self.configurationPath = configurationPath
        self.running = running
        self.catalog = catalog
        self.live = live
        self.logger = logger
    }

    /// Afterwards a valid catalog is in force, and the log says what changed and what needs
    /// a restart; throws the file's problem (file, line and key), with nothing changed.
    func reload() throws(ConfigurationError) -> ReloadReport {
        do {
            // Without a file (the demo) only the catalog is read again.
            let configuration = try configurationPath.map { path throws(ConfigurationError) in try ConfigurationLoader.load(path: path) }
                ?? running
            let (local, version) = try CatalogLoader.loadVersioned(for: configuration)
            // A catalog the centre published stays in force: the local files are only checked.
            let central = catalog.version.source == .central
            let fresh = central ? catalog.catalog : local
            let changed = fresh != catalog.catalog
            if changed { catalog.replace(with: fresh, version: version, source: .local) }
            let applied = (changed ? ["[catalog]"] : []) + live.apply(configuration)
            let report = ReloadReport(
                catalogItems: fresh.itemCount, catalogStages: fresh.stages.count, catalogChanged: changed,
                applied: applied, needsRestart: Self.restartSettings(running, configuration)
            )
            logger.notice("reloaded: \(report.summary)", metadata: ["event": .string(LogMessageKind.reloaded.rawValue)])
            return report
        } catch {
            logger.error("not reloaded, previous configuration and catalog stay: \(error.description)", metadata: ["event": .string(LogMessageKind.reloadRefused.rawValue)])
            throw error
        }
    }

    /// The settings (TOML tables, or `[daemon]` keys) in which `new` differs from `old`,
    /// other than the catalog's: they apply only when the daemon starts.
    static func restartSettings(_ old: KioskConfiguration, _ new: KioskConfiguration) -> [String] {
        var names: [String] = []
        func compare<Value: Equatable>(_ name: String, _ value: (KioskConfiguration) -> Value) {
            if value(old) != value(new) { names.append(name) }
        }
        compare("[daemon] kiosk_id") { $0.kioskID }
        compare("[daemon] state_directory") { $0.stateDirectory }
        compare("[daemon] database") { $0.database }
        compare("[daemon] control_socket") { $0.controlSocket }
        compare("[daemon] terminal_socket") { $0.terminalSocket }
        compare("[daemon] log_level") { $0.logLevel }
        compare("[daemon] time_zone") { $0.timeZone }
        compare("[control] read_group") { $0.control.readGroup }
        compare("[control] admin_group") { $0.control.adminGroup }
        compare("[control] max_message_bytes") { $0.control.maxMessageBytes }
        compare("[audit]") { $0.audit }
        compare("[central]") { $0.central }
        compare("[forwarding]") { $0.forwarding }
        compare("[session] escape_timeout_ms") { $0.session.escapeTimeoutMilliseconds }
        compare("[printing]") { $0.printing }
        compare("[payments]") { $0.payments }
        compare("[hall]") { $0.hall }
        compare("[privacy]") { $0.privacy }
        compare("[[terminal]]") { $0.terminals }
        compare("[catalog] source") { $0.catalogSource }
        compare("[catalog] poll_seconds") { $0.catalogPollSeconds }
        return names
    }
}

extension ReloadReport {
    /// "catalog of 42 items in 8 stages, changed, applied; needs a restart: [session]".
    var summary: String {
        var text = "catalog of \(catalogItems) items in \(catalogStages) stages, \(catalogChanged ? "changed, applied" : "unchanged")"
        if !needsRestart.isEmpty { text += "; needs a restart: \(needsRestart.joined(separator: ", "))" }
        return text
    }
}
