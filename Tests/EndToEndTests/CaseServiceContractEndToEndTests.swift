import Foundation
import KioskTesting
import Testing

/// The findings of schemathesis against case-service, one test each, on the built binary
/// over loopback: every error is a problem+json with the right 4xx, dates are read as
/// kioskd writes and reads them, and the schema's limits are enforced.
@Suite("case-service answers what its contract says", .serialized)
struct CaseServiceContractEndToEndTests {
    static let applicationID = "3f1c8a52-7d4e-4b7a-9a51-0c2d7e9b6f10"

    /// An application as kioskd sends it, with `submittedAt` and `applicationNumber` to vary.
    static func application(
        id: String = applicationID, number: String = "A20261123001", submittedAt: String = "2026-11-23T06:05:00Z"
    ) -> String {
        """
        {"applicationId":"\(id)","applicationNumber":"\(number)","itemId":"person-01","submittedAt":"\(submittedAt)",\
        "fields":{"name":"张三"},"subItems":[],"delivery":{"method":"pickup"},"consentToGaps":false,"manualReview":false}
        """
    }

    static let json = ["Content-Type": "application/json"]

    /// Expects `answer` to be an RFC 9457 problem of `status`.
    static func expectProblem(_ answer: CaseServiceProcess.Answer, _ status: Int, sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(answer.status == status, "\(answer.body)", sourceLocation: sourceLocation)
        #expect(answer.headers["content-type"]?.hasPrefix("application/problem+json") == true, "\(answer.headers)", sourceLocation: sourceLocation)
        let problem = answer.json
        #expect(problem?["status"] as? Int == status, "\(answer.body)", sourceLocation: sourceLocation)
        #expect(problem?["title"] is String, sourceLocation: sourceLocation)
        #expect(problem?["type"] is String, sourceLocation: sourceLocation)
    }

    @Test("A submission without a body, or with one that is no JSON, is a 400 problem, not an empty 500")
    func missingAndBrokenBodies() async throws {
        try await CaseServiceProcess.withCaseServiceProcess { service in
            // Given a submission with its Idempotency-Key
            let headers = Self.json.merging(["Idempotency-Key": Self.applicationID]) { $1 }
            // When it comes without a body, with half a JSON object, and with JSON null
            let missing = try await service.send("POST", "/v1/applications", headers: headers)
            let broken = try await service.send("POST", "/v1/applications", headers: headers, body: #"{"applicationId":"#)
            let null = try await service.send("POST", "/v1/ratings", headers: headers, body: "null")
            // Then each is a 400 problem+json with a detail saying why
            for answer in [missing, broken, null] {
                Self.expectProblem(answer, 400)
                #expect((answer.json?["detail"] as? String)?.isEmpty == false)
            }
        }
    }

    @Test("A body that is not JSON is 415, an unknown bill kind and cursor=abc are 400 problems")
    func unparsableParameters() async throws {
        try await CaseServiceProcess.withCaseServiceProcess { service in
            // Given a text body, an enum value the contract does not have, a cursor that is no number
            let text = try await service.send(
                "POST", "/v1/applications", headers: ["Content-Type": "text/plain", "Idempotency-Key": Self.applicationID],
                body: Self.application()
            )
            let kind = try await service.send("GET", "/v1/bills/sewage/1001")
            let cursor = try await service.send("GET", "/v1/status-changes?cursor=abc")
            // Then each is refused as the client's fault, with a problem
            Self.expectProblem(text, 415)
            Self.expectProblem(kind, 400)
            Self.expectProblem(cursor, 400)
        }
    }

    @Test("limit outside 1…500 and a negative cursor are 400; the bounds themselves are answered")
    func statusChangeLimits() async throws {
        try await CaseServiceProcess.withCaseServiceProcess { service in
            // When the kiosk asks with limits at and beyond the declared range
            for query in ["limit=0", "limit=501", "cursor=-1"] {
                // Then beyond is 400, naming the parameter
                let answer = try await service.send("GET", "/v1/status-changes?" + query)
                Self.expectProblem(answer, 400)
                #expect((answer.json?["detail"] as? String)?.contains(query.split(separator: "=")[0]) == true, "\(answer.body)")
            }
            for query in ["limit=1", "limit=500", "cursor=0"] {
                // And the bounds are a page
                #expect(try await service.send("GET", "/v1/status-changes?" + query).status == 200)
            }
        }
    }

    @Test("Dates with fractional seconds and numeric offsets are accepted, as kioskd's transcoder accepts them")
    func tolerantDates() async throws {
        try await CaseServiceProcess.withCaseServiceProcess { service in
            // Given an application whose submittedAt has microseconds and a +08:00 offset
            let body = Self.application(submittedAt: "2026-11-23T14:05:00.123456+08:00")
            // When it is submitted
            let answer = try await service.send(
                "POST", "/v1/applications", headers: Self.json.merging(["Idempotency-Key": Self.applicationID]) { $1 }, body: body
            )
            // Then a case is opened, and its dates come back as whole seconds in UTC
            #expect(answer.status == 201, "\(answer.body)")
            let changedAt = try #require(answer.json?["statusChangedAt"] as? String)
            #expect(changedAt.hasSuffix("Z") && changedAt.count == 20, "\(changedAt)")
            // And a rating with a lowercase z and milliseconds is recorded
            let rating = """
                {"ratingId":"9b2e4c1a-5f3d-4e8b-a6c7-1d2e3f4a5b6c","level":5,"ratedAt":"2026-11-23T06:05:00.250z"}
                """
            let rated = try await service.send(
                "POST", "/v1/ratings", headers: Self.json.merging(["Idempotency-Key": "9b2e4c1a-5f3d-4e8b-a6c7-1d2e3f4a5b6c"]) { $1 },
                body: rating
            )
            #expect(rated.status == 201, "\(rated.body)")
        }
    }

    @Test("Lengths and ranges the schema declares are enforced with a 400 naming each violation")
    func schemaLimits() async throws {
        try await CaseServiceProcess.withCaseServiceProcess { service in
            // Given an application number of 33 characters and a rating level of 6
            let long = String(repeating: "7", count: 33)
            let headers = Self.json.merging(["Idempotency-Key": Self.applicationID]) { $1 }
            // When they are sent
            let application = try await service.send("POST", "/v1/applications", headers: headers, body: Self.application(number: long))
            let lookup = try await service.send("GET", "/v1/applications/" + long)
            let rating = try await service.send(
                "POST", "/v1/ratings", headers: headers,
                body: #"{"ratingId":"\#(Self.applicationID)","level":6,"ratedAt":"2026-11-23T06:05:00Z"}"#
            )
            // Then each is a 400 whose detail names the field
            Self.expectProblem(application, 400)
            #expect((application.json?["detail"] as? String)?.contains("applicationNumber") == true, "\(application.body)")
            Self.expectProblem(lookup, 400)
            Self.expectProblem(rating, 400)
            #expect((rating.json?["detail"] as? String)?.contains("level") == true, "\(rating.body)")
        }
    }

    @Test("A sub-item named twice is a 400, and the service keeps answering (it crashed on it)")
    func duplicateSubItems() async throws {
        try await CaseServiceProcess.withCaseServiceProcess { service in
            // Given an application that names one sub-item twice
            let body = Self.application().replacingOccurrences(of: #""subItems":[]"#, with: #""subItems":["a","a"]"#)
            let headers = Self.json.merging(["Idempotency-Key": Self.applicationID]) { $1 }
            // When it is submitted
            let answer = try await service.send("POST", "/v1/applications", headers: headers, body: body)
            // Then it is refused naming the field, and the same application without the repeat opens a case
            Self.expectProblem(answer, 400)
            #expect((answer.json?["detail"] as? String)?.contains("subItems") == true, "\(answer.body)")
            let fixed = Self.application().replacingOccurrences(of: #""subItems":[]"#, with: #""subItems":["a"]"#)
            #expect(try await service.send("POST", "/v1/applications", headers: headers, body: fixed).status == 201)
        }
    }

    @Test("An Idempotency-Key that is not a UUID is 400; one that is not the body's id is a 422 naming the rule")
    func idempotencyKeyRule() async throws {
        try await CaseServiceProcess.withCaseServiceProcess { service in
            // Given a valid application
            let body = Self.application()
            // When its key is no UUID, and when it is another UUID
            let malformed = try await service.send(
                "POST", "/v1/applications", headers: Self.json.merging(["Idempotency-Key": "not-a-uuid"]) { $1 }, body: body
            )
            let other = try await service.send(
                "POST", "/v1/applications",
                headers: Self.json.merging(["Idempotency-Key": "00000000-0000-4000-8000-000000000000"]) { $1 }, body: body
            )
            // Then the first is malformed (400) and the second breaks the documented rule (422)
            Self.expectProblem(malformed, 400)
            Self.expectProblem(other, 422)
            #expect(other.json?["title"] as? String == "Idempotency-Key must equal applicationId")
        }
    }

    @Test("401 carries WWW-Authenticate: Bearer, with invalid_token when a token was sent")
    func unauthorized() async throws {
        try await CaseServiceProcess.withCaseServiceProcess { service in
            // When a contract path is asked without a token and with an unknown one
            let missing = try await service.send("GET", "/v1/status-changes", authorization: .none)
            let unknown = try await service.send("GET", "/v1/status-changes", authorization: .header("Bearer nobody"))
            // Then both are 401 problems with the Bearer challenge
            Self.expectProblem(missing, 401)
            Self.expectProblem(unknown, 401)
            #expect(missing.headers["www-authenticate"] == #"Bearer realm="case-service""#)
            #expect(unknown.headers["www-authenticate"] == #"Bearer realm="case-service", error="invalid_token""#)
        }
    }

    @Test("TRACE and other methods a path does not have are 405 with Allow; unknown paths are 404 problems")
    func methodsAndPaths() async throws {
        try await CaseServiceProcess.withCaseServiceProcess { service in
            // When paths of the contract are asked with methods they do not have
            let trace = try await service.send("TRACE", "/v1/applications")
            let put = try await service.send("PUT", "/v1/cases/C1")
            let health = try await service.send("TRACE", "/health", authorization: .none)
            // Then each is 405 listing the methods the path has
            Self.expectProblem(trace, 405)
            #expect(trace.headers["allow"] == "POST")
            Self.expectProblem(put, 405)
            #expect(put.headers["allow"] == "GET")
            Self.expectProblem(health, 405)
            #expect(health.headers["allow"] == "GET")
            // And a path the contract does not have is a 404 problem
            Self.expectProblem(try await service.send("GET", "/v1/nothing-here"), 404)
        }
    }
}
