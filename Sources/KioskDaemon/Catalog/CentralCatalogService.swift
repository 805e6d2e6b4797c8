import Foundation
import KioskCore
import KioskForwarding
import KioskSigning
import Logging
import ServiceLifecycle
import Synchronization

/// `[catalog] source = "central"`: asks the centre for its catalog at start and every
/// `poll_seconds` (`If-None-Match` with the version held, so an unchanged catalog costs a
/// 304). A new version is applied only when its files hash to the version and SHA-256 the
/// centre states and they pass exactly the validation a local reload does; it is then kept
/// in `catalog-central/` of the state directory (the next start uses it) and handed to the
/// terminals, which apply it between sessions. A broken version is refused: logged with
/// its file, line and key, reported in the heartbeat, never applied; the catalog in force
/// stays.
final class CentralCatalogService: Service, Sendable {
    /// What one poll came to.
    enum Outcome: Sendable, Hashable {
        case applied(version: String)
        case refused(version: String, reason: String)
        case unchanged
        case unavailable(String)
    }

    private let client: CentralServiceClient
    private let store: CatalogStore
    private let folder: String
    private let interval: Duration
    private let time: TimeEnvironment
    private let logger: Logger
    /// The ETag of the version last seen (applied or refused), for `If-None-Match`.
    private let etag: Mutex<String?>

    init(
        client: CentralServiceClient, store: CatalogStore, folder: String, interval: Duration, time: TimeEnvironment, logger: Logger
    ) {
        self.client = client
        self.store = store
        self.folder = folder
        self.interval = interval
        self.time = time
        self.logger = logger
        let held = store.version
        etag = Mutex(held.source == .central ? "\"\(held.version)\"" : nil)
    }

    func run() async throws {
        try? await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                await self.poll()
                try await self.time.sleep(for: self.interval)
            }
        }
    }

    /// Asks the centre once and applies or refuses what it publishes.
    @discardableResult
    func poll() async -> Outcome {
        switch await client.fetchCatalog(ifNoneMatch: etag.withLock { $0 }) {
        case .unchanged, .nothingPublished:
            return .unchanged
        case .failed(let reason):
            logger.debug("central catalog not fetched", metadata: ["reason": .string(reason)])
            return .unavailable(reason)
        case .published(let version, let sha256, let sentTag, let files):
            etag.withLock { $0 = sentTag }
            let computed = CatalogVersion.of(files: files.map { ($0.name, $0.text) }, sha256: SwiftCryptoHashing().sha256)
            let stated = UntrustedText(version.prefix(80)).sanitized
            guard computed == version, computed == "sha256:" + sha256, sentTag == "\"\(version)\"" else {
                return refuse(stated, reason: "its files do not hash to the version and SHA-256 the centre states (\(computed))")
            }
            guard files.allSatisfy({ Self.isFileName($0.name) }), Set(files.map(\.name)).count == files.count else {
                return refuse(stated, reason: "a file name is not a distinct NAME.toml of lowercase letters, digits and dashes")
            }
            let catalog: Catalog
            do {
                catalog = try CatalogLoader.load(files: files.map { ("central:\($0.name)", $0.text) })
            } catch {
                return refuse(stated, reason: error.description)
            }
            if computed == store.version.version, store.version.source == .central { return .unchanged }
            do {
                try Self.keep(files, in: folder)
            } catch {
                // Still applied: only the next start falls back to what was kept before.
                logger.warning("central catalog not kept on disk", metadata: ["folder": .string(folder)])
            }
            store.replace(with: catalog, version: computed, source: .central)
            logger.notice(
                "central catalog applied between sessions",
                metadata: ["version": .string(computed), "items": "\(catalog.itemCount)", "stages": "\(catalog.stages.count)"]
            )
            return .applied(version: computed)
        }
    }

    private func refuse(_ version: String, reason: String) -> Outcome {
        let reason = String(UntrustedText(reason).sanitized.prefix(300))
        if store.version.refusedVersion != version {
            logger.error(
                "central catalog refused, the catalog in force stays",
                metadata: ["version": .string(version), "reason": .string(reason)]
            )
        }
        store.noteRefused(version: version, reason: reason)
        return .refused(version: version, reason: reason)
    }

    /// `^[a-z0-9-]+[.]toml$`, at most 64 characters.
    static func isFileName(_ name: String) -> Bool {
        name.count <= 64 && name.hasSuffix(".toml") && name.count > 5
            && name.dropLast(5).allSatisfy { $0.isASCII && ($0.isLowercase || $0.isNumber || $0 == "-") }
    }

    /// Afterwards `folder` holds exactly `files` (written beside it, then swapped in).
    static func keep(_ files: [CatalogFileText], in folder: String) throws {
        let manager = FileManager.default
        let fresh = folder + ".new", old = folder + ".old"
        try? manager.removeItem(atPath: fresh)
        try? manager.removeItem(atPath: old)
        try manager.createDirectory(atPath: fresh, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o750])
        for file in files {
            try Data(file.text.utf8).write(to: URL(fileURLWithPath: fresh + "/" + file.name), options: .atomic)
        }
        if manager.fileExists(atPath: folder) { try manager.moveItem(atPath: folder, toPath: old) }
        try manager.moveItem(atPath: fresh, toPath: folder)
        try? manager.removeItem(atPath: old)
    }
}

/// The catalog kept from the centre, when `[catalog] source = "central"` and one was kept
/// and still validates; nil otherwise (the local catalog is used until the centre answers).
func keptCentralCatalog(_ configuration: KioskConfiguration, logger: Logger) -> (catalog: Catalog, version: String)? {
    guard configuration.catalogSource == .central else { return nil }
    let folder = centralCatalogFolder(configuration)
    guard FileManager.default.fileExists(atPath: folder) else { return nil }
    do {
        let files = try CatalogLoader.files(inDirectory: folder)
        let catalog = try CatalogLoader.load(files: files)
        return (catalog, CatalogVersion.of(files: files, sha256: SwiftCryptoHashing().sha256))
    } catch {
        logger.error("kept central catalog not usable, the local one is used", metadata: ["reason": .string(error.description)])
        return nil
    }
}

/// Where the last good catalog from the centre is kept.
func centralCatalogFolder(_ configuration: KioskConfiguration) -> String {
    (configuration.stateDirectory as NSString).appendingPathComponent("catalog-central")
}
