import CaseServiceAPI
import Foundation
import KioskCore

extension CentralServiceClient {
    /// What the centre answered for its catalog.
    public enum CatalogFetch: Sendable, Hashable {
        /// The version `If-None-Match` named is still the published one.
        case unchanged
        /// The published catalog: its version and SHA-256 as the centre states them, the
        /// ETag it sent, and the files (names and texts as received: the kiosk checks them).
        case published(version: String, sha256: String, etag: String, files: [CatalogFileText])
        /// Nothing is published.
        case nothingPublished
        /// No answer, or an answer that is not the contract's, in words without personal data.
        case failed(reason: String)
    }

    /// `GET /v1/catalog`, with `If-None-Match: etag` when the kiosk holds a version.
    public func fetchCatalog(ifNoneMatch etag: String?) async -> CatalogFetch {
        do {
            switch try await client.getCatalog(headers: .init(ifNoneMatch: etag)) {
            case .ok(let ok):
                let release = try ok.body.json
                return .published(
                    version: release.version, sha256: release.sha256, etag: ok.headers.eTag,
                    files: release.files.map { CatalogFileText(name: $0.name, text: $0.text) }
                )
            case .notModified:
                return .unchanged
            case .notFound:
                return .nothingPublished
            case .badRequest:
                return .failed(reason: "400 refused")
            case .unauthorized:
                return .failed(reason: "401 token refused")
            case .serviceUnavailable:
                return .failed(reason: "503 unavailable")
            case .undocumented(let status, _):
                return .failed(reason: "\(status)")
            }
        } catch {
            return .failed(reason: "unreachable or not the contract's answer")
        }
    }
}
