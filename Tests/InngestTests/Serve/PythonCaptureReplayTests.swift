import Foundation
import HTTPTypes
import Testing

@testable import Inngest

/// The Python SDK's recorded requests (`Captures/`, recorded from an app on the official Python SDK) replayed against
/// the same functions written in Swift. Compared: status, op codes, step ids, names, memo
/// formats and the headers that matter, not byte-exact bodies. Where Python and TypeScript
/// differ the Swift handler follows TypeScript, and the test's name says so.
@Suite(.tags(.interop)) struct PythonCaptureReplayTests {
    /// Calls and answers where the Swift handler behaves exactly like the Python SDK.
    @Test(arguments: [
        "10-compute-square", "20-multi-step-first-call", "22-multi-step-third-call", "23-multi-step-final-call",
        "24-multi-step-disable-immediate-execution", "25-multi-step-targeted-step", "26-step-error-retriable", "27-step-retry-succeeds",
        "28-step-error-last-attempt", "30-parallel-discovery", "31-parallel-run-targeted-a", "32-parallel-partial-memo", "33-parallel-final",
        "40-wait-for-event-op", "41-wait-for-event-matched", "42-wait-for-event-timeout", "50-invoke-op", "51-invoke-result",
        "71-send-event-final", "80-unknown-function", "82-legacy-fn-id", "90-cloud-unsigned-post", "91-cloud-signed-post",
        "92-cloud-bad-signature", "95-cloud-unsigned-introspection",
    ])
    func replaysLikePython(name: String) async throws {
        let capture = try Capture(name)
        let (response, _) = await capture.replay()
        #expect(response.status.code == capture.status, "\(name): \(response.bodyText)")
        compareHeaders(capture, response)
        switch capture.status {
        case 206: compareOps(expected: capture.responseBody, actual: response.json ?? .null)
        case 200: #expect(response.json == capture.responseBody)
        case 401: #expect(response.json == capture.responseBody)
        default: break
        }
    }

    @Test func introspection01_devShapeMatches() async throws {
        let capture = try Capture("01-introspection-get")
        let (response, _) = await capture.replay()
        #expect(response.status == 200)
        let ours = try #require(response.json?.objectValue)
        for (key, value) in try #require(capture.responseBody.objectValue) { #expect(ours[key] == value, "\(key)") }
    }

    @Test(arguments: ["02-sync-put", "03-sync-put-with-deploy-id", "97-cloud-out-of-band-sync"])
    func outOfBandSyncRegistersTheSameFunctionsWithTypeScriptsReplyBody(name: String) async throws {
        let capture = try Capture(name)
        let (response, outbound) = await capture.replay()
        #expect(response.status == 200)
        #expect(response.headerFields[.inngestSyncKind] == capture.responseHeader("x-inngest-sync-kind"))
        // Python relays the server's reply ({"ok":true}); TypeScript answers {"message", "modified"}.
        #expect(response.json?.objectValue?["modified"] != nil)
        let expected = try #require(capture.outbound.first)
        let register = try #require(outbound.first)
        #expect(outbound.count == 1)
        #expect(register.method.rawValue == expected["method"]?.stringValue)
        let url = try #require(URLComponents(string: register.url))
        #expect(url.path == expected["path"]?.stringValue)
        let expectedQuery = (expected["query"]?.objectValue ?? [:]).mapValues(\.stringValue)
        #expect(Dictionary(uniqueKeysWithValues: (url.queryItems ?? []).map { ($0.name, $0.value) }) == expectedQuery)
        let expectedHeaders = expected["headers"]?.objectValue ?? [:]
        #expect(register.headerFields[.inngestExpectedServerKind] == expectedHeaders["x-inngest-expected-server-kind"]?.stringValue)
        if let pythonBearer = expectedHeaders["authorization"]?.stringValue {
            // Python sends the bare hash; TypeScript keeps the `signkey-<env>-` prefix (the server accepts both).
            #expect(register.headerFields[.authorization] == pythonBearer.replacingOccurrences(of: "Bearer ", with: "Bearer signkey-test-"))
        }
        let theirs = try #require(expected["body"]?.objectValue)
        let ours = try #require(try JSONText.read(register.body).objectValue)
        #expect(ours["url"] == theirs["url"])
        #expect(ours["appName"] == theirs["appname"])
        #expect(ours["v"] == theirs["v"])
        #expect(ours["sdk"] == "swift:v0.1.0" && theirs["sdk"] == "py:v0.5.19")
        compareFunctions(expected: theirs["functions"] ?? .null, actual: ours["functions"] ?? .null)
    }

    @Test func inBandSync96_returnsTheSameConfiguration() async throws {
        let capture = try Capture("96-cloud-in-band-sync")
        let (response, outbound) = await capture.replay()
        #expect(response.status == 200)
        #expect(outbound.isEmpty)
        #expect(response.headerFields[.inngestSyncKind] == "in_band")
        #expect(response.headerFields[.inngestSignature] != nil)
        let ours = try #require(response.json?.objectValue)
        let theirs = try #require(capture.responseBody.objectValue)
        #expect(ours["app_id"] == theirs["app_id"])
        #expect(ours["url"] == theirs["url"])
        compareFunctions(expected: theirs["functions"] ?? .null, actual: ours["functions"] ?? .null)
        let inspection = try #require(ours["inspection"]?.objectValue)
        for key in ["app_id", "authentication_succeeded", "event_key_hash", "function_count", "has_event_key", "has_signing_key", "mode", "schema_version"] {
            #expect(inspection[key] == theirs["inspection"]?.objectValue?[key], "\(key)")
        }
    }

    @Test func introspection94_signedMatchesWithTypeScriptsTruncatedKeyHash() async throws {
        let capture = try Capture("94-cloud-signed-introspection")
        let (response, _) = await capture.replay()
        #expect(response.status == 200)
        let ours = try #require(response.json?.objectValue)
        let theirs = try #require(capture.responseBody.objectValue)
        for key in [
            "app_id", "authentication_succeeded", "event_key_hash", "function_count", "has_event_key", "has_signing_key",
            "has_signing_key_fallback", "mode", "schema_version", "env", "serve_origin", "serve_path", "signing_key_fallback_hash",
        ] {
            #expect(ours[key] == theirs[key], "\(key)")
        }
        let pythonHash = try #require(theirs["signing_key_hash"]?.stringValue)
        #expect(ours["signing_key_hash"] == .string(String(pythonHash.prefix(12))))
        #expect(ours["api_origin"] == "http://127.0.0.1:18288/" && theirs["api_origin"] == "http://127.0.0.1:18288")
        try expectSignedByPeerKey(response)
    }

    @Test func sleep21_sameIdButDurationNameLikeTypeScript() async throws {
        let capture = try Capture("21-multi-step-second-call-sleep")
        let (response, _) = await capture.replay()
        #expect(response.status == 206)
        let ours = try #require(response.json?.arrayValue?.first?.objectValue)
        let theirs = try #require(capture.responseBody.arrayValue?.first?.objectValue)
        #expect(ours["op"] == theirs["op"])
        #expect(ours["id"] == theirs["id"])
        #expect(ours["displayName"] == theirs["displayName"])
        // Python writes the wake-up time; TypeScript the duration (we also send opts.duration).
        #expect(ours["name"] == "1s")
        #expect(ours["opts"] == ["duration": "1s"])
    }

    @Test(arguments: ["29-step-error-memoized", "52-invoke-error", "60-non-retriable-error"])
    func nonRetriableFunctionErrorIs400LikeTypeScriptNot500LikePython(name: String) async throws {
        let capture = try Capture(name)
        let (response, _) = await capture.replay()
        #expect(capture.status == 500)
        #expect(response.status == 400)
        #expect(response.headerFields[.inngestNoRetry] == "true")
        #expect(capture.responseHeader("x-inngest-no-retry") == "true")
        #expect(response.json?.objectValue?["message"] == capture.responseBody.objectValue?["message"])
    }

    @Test func registerFailure04_relaysTheFailureLikeTypeScriptNot200LikePython() async throws {
        let capture = try Capture("04-sync-put-register-fails")
        let (response, outbound) = await capture.replay()
        #expect(capture.status == 200)
        #expect(outbound.count == 1)
        #expect(response.status == 500)
        #expect(response.headerFields[.inngestSyncKind] == "out_of_band")
        #expect(response.json?.objectValue?["message"]?.stringValue?.contains("registration exploded") == true)
        #expect(response.json?.objectValue?["modified"] == false)
    }

    @Test(arguments: ["05-sync-put-server-kind-mismatch", "06-introspection-server-kind-mismatch"])
    func serverKindMismatchIsServedLikeTypeScriptNotRefusedLikePython(name: String) async throws {
        let capture = try Capture(name)
        let (response, _) = await capture.replay()
        #expect(capture.status == 400 || capture.status == 403)
        #expect(response.status == 200)
    }

    @Test(arguments: ["70-send-event-step", "98-cloud-send-event-step"])
    func sendEventStepPostsTheSameEventWithTypeScriptsMemoShape(name: String) async throws {
        let capture = try Capture(name)
        let (response, outbound) = await capture.replay()
        #expect(response.status == 206)
        let ours = try #require(response.json?.arrayValue?.first?.objectValue)
        let theirs = try #require(capture.responseBody.arrayValue?.first?.objectValue)
        #expect(ours["op"] == theirs["op"])
        #expect(ours["id"] == theirs["id"])
        #expect(ours["name"] == theirs["name"])
        // Python memoizes the bare id list; TypeScript `{"ids": [...]}` (Swift reads both, see 71).
        #expect(ours["data"] == ["ids": theirs["data"] ?? .null])
        let expected = try #require(capture.outbound.first)
        let sent = try #require(outbound.first)
        #expect(URLComponents(string: sent.url)?.path == expected["path"]?.stringValue)
        #expect(sent.method == .post)
        #expect(sent.headerFields[.inngestEventIDSeed]?.wholeMatch(of: /\d{13},[A-Za-z0-9+\/]{14}==/) != nil)
        let ourEvents = try #require(try JSONText.read(sent.body).arrayValue)
        let theirEvents = try #require(expected["body"]?.arrayValue)
        #expect(ourEvents.map { $0.objectValue?["name"] } == theirEvents.map { $0.objectValue?["name"] })
        #expect(ourEvents.map { $0.objectValue?["data"] } == theirEvents.map { $0.objectValue?["data"] })
        #expect(ourEvents.allSatisfy { $0.objectValue?["ts"]?.integerValue != nil })
        if capture.isCloud { try expectSignedByPeerKey(response) }
    }

    @Test func clientSend72_postsTheSameRequest() async throws {
        let capture = try Capture("72-client-send-helper")
        let expected = try #require(capture.outbound.first)
        let transport = capture.transport()
        let client = InngestClient(configuration: InngestConfiguration(appID: PythonPeer.appID, environment: ["INNGEST_DEV": "http://127.0.0.1:18288"]), transport: transport)
        let ids = try await client.send([AnyEvent(name: "app/post.created", data: ["user": ["id": "u-42"]])])
        #expect(.array(ids.map(JSONValue.string)) == capture.responseBody.objectValue?["ids"])
        let sent = try #require(transport.requests.first)
        #expect(URLComponents(string: sent.url)?.path == expected["path"]?.stringValue)
        let ours = try JSONText.read(sent.body).arrayValue?.first?.objectValue
        let theirs = expected["body"]?.arrayValue?.first?.objectValue
        #expect(ours?["name"] == theirs?["name"] && ours?["data"] == theirs?["data"])
        #expect(sent.headerFields[.contentType] == expected["headers"]?.objectValue?["content-type"]?.stringValue)
    }

    @Test func missingUseAPI81_isAcceptedLikeTypeScriptNotRefusedLikePython() async throws {
        let capture = try Capture("81-missing-use-api")
        let (response, _) = await capture.replay()
        #expect(capture.status == 500)
        #expect(response.status == 200)
        #expect(response.json == ["result": 25])
    }

    @Test func trustProbe83_answersAnEmptyBodyLikeTypeScriptNotNullLikePython() async throws {
        let capture = try Capture("83-trust-probe")
        let (response, _) = await capture.replay()
        #expect(response.status.code == capture.status)
        #expect(response.body.isEmpty)
        #expect(capture.responseBody == .null)
    }

    @Test func oldTimestamp93_isRefusedLikeTypeScriptNotAcceptedLikePython() async throws {
        let capture = try Capture("93-cloud-old-timestamp")
        let (response, _) = await capture.replay()
        #expect(capture.status == 200)
        #expect(response.status == 401)
    }

    @Test func allCapturesAreCovered() throws {
        let directory = try #require(Bundle.module.url(forResource: "Captures", withExtension: nil))
        let files = try FileManager.default.contentsOfDirectory(atPath: directory.path).filter { $0.hasSuffix(".json") }
        #expect(files.count == 44)
    }

    // MARK: Comparisons

    func compareHeaders(_ capture: Capture, _ response: HTTPResponseMessage, sourceLocation: SourceLocation = #_sourceLocation) {
        if capture.status != 401 {
            #expect(response.headerFields[.inngestSDK] == "swift-inngest:v0.1.0", sourceLocation: sourceLocation)
            #expect(response.headerFields[.inngestRequestVersion] == capture.responseHeader("x-inngest-req-version"), sourceLocation: sourceLocation)
            #expect(response.headerFields[.contentType] == capture.responseHeader("content-type"), sourceLocation: sourceLocation)
        }
        if capture.responseHeader("x-inngest-no-retry") == "true" {
            #expect(response.headerFields[.inngestNoRetry] == "true", sourceLocation: sourceLocation)
        }
        if capture.responseHeader("x-inngest-signature") != nil {
            #expect((try? expectSignedByPeerKey(response)) != nil, sourceLocation: sourceLocation)
        } else {
            #expect(response.headerFields[.inngestSignature] == nil, sourceLocation: sourceLocation)
        }
    }

    func expectSignedByPeerKey(_ response: HTTPResponseMessage) throws {
        let header = try #require(response.headerFields[.inngestSignature])
        let verified = RequestSignature.verify(
            header: header, body: response.body, keys: [SigningKey(PythonPeer.signingKey)],
            now: Date(timeIntervalSince1970: PythonPeer.captureTime))
        #expect(verified.isSuccess)
    }

    func compareOps(expected: JSONValue, actual: JSONValue, sourceLocation: SourceLocation = #_sourceLocation) {
        let theirs = expected.arrayValue?.compactMap(\.objectValue) ?? []
        let ours = actual.arrayValue?.compactMap(\.objectValue) ?? []
        #expect(ours.count == theirs.count, sourceLocation: sourceLocation)
        // Parallel ops may come in any order: match them by id.
        for their in theirs {
            guard let our = ours.first(where: { $0["id"] == their["id"] }) else {
                Issue.record("no op with id \(their["id"] ?? .null)", sourceLocation: sourceLocation)
                continue
            }
            #expect(our["op"] == their["op"], sourceLocation: sourceLocation)
            #expect(our["userland"]?.objectValue?["id"] == their["userland"]?.objectValue?["id"], sourceLocation: sourceLocation)
            #expect(our["displayName"] == their["displayName"], sourceLocation: sourceLocation)
            switch their["op"]?.stringValue {
            case "StepRun":
                #expect(our["name"] == their["name"], sourceLocation: sourceLocation)
                #expect(our["data"] == their["data"], sourceLocation: sourceLocation)
            case "StepPlanned":
                #expect(our["name"] == their["name"], sourceLocation: sourceLocation)
                #expect(our["data"] == nil, sourceLocation: sourceLocation)
            case "StepError", "StepFailed":
                #expect(our["name"] == their["name"], sourceLocation: sourceLocation)
                #expect(our["error"]?.objectValue?["message"] == their["error"]?.objectValue?["message"], sourceLocation: sourceLocation)
                #expect(our["error"]?.objectValue?["name"]?.stringValue != nil, sourceLocation: sourceLocation)
            case "WaitForEvent":
                #expect(our["name"] == their["name"], sourceLocation: sourceLocation)
                #expect(our["opts"]?.objectValue?["if"] == their["opts"]?.objectValue?["if"], sourceLocation: sourceLocation)
                #expect(our["opts"]?.objectValue?["timeout"] == their["opts"]?.objectValue?["timeout"], sourceLocation: sourceLocation)
            case "InvokeFunction":
                #expect(our["opts"]?.objectValue?["function_id"] == their["opts"]?.objectValue?["function_id"], sourceLocation: sourceLocation)
                #expect(
                    our["opts"]?.objectValue?["payload"]?.objectValue?["data"] == their["opts"]?.objectValue?["payload"]?.objectValue?["data"],
                    sourceLocation: sourceLocation)
            default:
                break
            }
        }
    }

    func compareFunctions(expected: JSONValue, actual: JSONValue, sourceLocation: SourceLocation = #_sourceLocation) {
        let theirs = expected.arrayValue?.compactMap(\.objectValue) ?? []
        let ours = actual.arrayValue?.compactMap(\.objectValue) ?? []
        #expect(ours.map { $0["id"] } == theirs.map { $0["id"] }, sourceLocation: sourceLocation)
        for (our, their) in zip(ours, theirs) {
            #expect(our["name"] == their["name"], sourceLocation: sourceLocation)
            #expect(our["triggers"] == their["triggers"], sourceLocation: sourceLocation)
            let ourStep = our["steps"]?.objectValue?["step"]?.objectValue
            let theirStep = their["steps"]?.objectValue?["step"]?.objectValue
            #expect(ourStep?["runtime"] == theirStep?["runtime"], sourceLocation: sourceLocation)
            #expect(ourStep?["id"] == theirStep?["id"] && ourStep?["name"] == theirStep?["name"], sourceLocation: sourceLocation)
            // Python omits `retries` for the default; we always send the retry count.
            if let retries = theirStep?["retries"] { #expect(ourStep?["retries"] == retries, sourceLocation: sourceLocation) }
        }
    }
}
