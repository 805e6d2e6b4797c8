import CaseServiceAPI
import Foundation
import Hummingbird
import NIOCore

extension CaseServiceHandler {
    /// The newest published catalog with its ETag, 304 when `If-None-Match` names it
    /// (or is `*`), 404 before anything was published.
    func getCatalog(_ input: Operations.GetCatalog.Input) async throws -> Operations.GetCatalog.Output {
        try ContractLimits.check { $0.length(input.headers.ifNoneMatch, "If-None-Match", max: 200) }
        guard let release = try await store.newestCatalog() else {
            return .notFound(.init(body: .applicationProblemJson(ContractProblem.status(404, title: "No catalog published").contract)))
        }
        let etag = "\"\(release.version)\""
        if let header = input.headers.ifNoneMatch, Self.names(header, etag) { return .notModified(.init(headers: .init(eTag: etag))) }
        return .ok(.init(headers: .init(eTag: etag), body: .json(release)))
    }

    /// True when the `If-None-Match` value `header` names `etag` (weakly or not) or is `*`.
    static func names(_ header: String, _ etag: String) -> Bool {
        let weak = "W/" + etag
        for part in header.split(separator: ",") {
            let tag = part.trimmingCharacters(in: .whitespaces)
            if tag == etag || tag == weak || tag == "*" { return true }
        }
        return false
    }
}

extension CaseServiceApplication {
    /// `PUT /admin/catalog` with `{"files": [{"name": "person-01-birth.toml", "text": "…"}]}`
    /// publishes a catalog version (the centre does not validate it: kiosks do), and `GET
    /// /admin/catalog` shows the newest. Names must be `^[a-z0-9-]+[.]toml$`, at most 64
    /// files of at most 256 KiB each.
    static func addCatalogRoutes(to router: Router<BasicRequestContext>, store: CaseStore) {
        router.put("/admin/catalog") { request, context in
            struct Publication: Decodable { let files: [Components.Schemas.CatalogFile] }
            let publication = try await request.decode(as: Publication.self, context: context)
            let files = publication.files
            let names = Set(files.map(\.name))
            guard !files.isEmpty, files.count <= 64, names.count == files.count,
                  files.allSatisfy({ file in
                      file.text.utf8.count <= 262_144 && file.name.count <= 64 && file.name.hasSuffix(".toml") && file.name.count > 5
                          && file.name.dropLast(5).allSatisfy { $0.isASCII && ($0.isLowercase || $0.isNumber || $0 == "-") }
                  })
            else {
                return ContractProblem.invalidRequest("1 to 64 files, distinct names like person-01-birth.toml, at most 256 KiB each")
                    .response()
            }
            let release = try await store.publishCatalog(files, now: Date())
            return try catalogResponse(release)
        }
        router.get("/admin/catalog") { _, _ in
            guard let release = try await store.newestCatalog() else { return ContractProblem.notFound("No catalog published").response() }
            return try catalogResponse(release)
        }
    }

    private static func catalogResponse(_ release: Components.Schemas.CatalogRelease) throws -> Response {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .iso8601
        return Response(
            status: .ok, headers: [.contentType: "application/json", .eTag: "\"\(release.version)\""],
            body: ResponseBody(byteBuffer: ByteBuffer(bytes: try encoder.encode(release)))
        )
    }
}
