import Foundation
import HTTPTypes
import Inngest
import InngestDevServer
import InngestEngine
import InngestTesting
import Testing

/// Input that once crashed or stalled `inngest dev`, and its whole class: every number or date
/// from a request or an app that reaches arithmetic is range-checked and refused naming the
/// field and the range; deep JSON costs its size and is refused past the limit; nothing
/// accepted before is lost and the server keeps answering.
@Suite(.tags(.hostileInput)) struct HostileInputTests {
    private static let echo = InngestFunction(.init(id: "echo", trigger: .event("app/echo"))) { (ctx: Context<JSONValue>) in
        ctx.event.data
    }

    private func post(_ dev: DevHarness, _ path: String, _ body: String) async -> HTTPResponseMessage {
        await dev.server.handle(HTTPRequestMessage(method: .post, url: DevHarness.devOrigin + path, body: Array(body.utf8)))
    }

    /// `depth` levels of `{"a": …}` around `1`.
    private func nested(_ depth: Int) -> String {
        String(repeating: #"{"a":"#, count: depth) + "1" + String(repeating: "}", count: depth)
    }

    // MARK: Event fields

    @Test(arguments: ["9223372036854775807", "9223372036854775296", "-1", "253402300800000", "-9223372036854775808"])
    func anEventTimestampOutOfRangeIsRefusedNamingTsAndTheRange(ts: String) async throws {
        let dev = try await DevHarness()
        try await dev.serve("app", [Self.echo])
        let accepted = try await dev.send("app/echo", ["kept": true])
        let response = await post(dev, "/e/key", #"{"name":"app/echo","ts":\#(ts)}"#)
        #expect(response.status == 400)
        let error = try #require(response.json?["error"]?.stringValue)
        #expect(error.contains("\"ts\""), "\(error)")
        #expect(error.contains("0...253402300799999"), "\(error)")
        // The server still works, and what it accepted before is intact.
        #expect(try await dev.run(startedBy: accepted).run.output == ["kept": true])
        let after = try await dev.send("app/echo", ["after": true])
        #expect(try await dev.run(startedBy: after).run.output == ["after": true])
        #expect(try await dev.engine.events(named: "app/echo").count == 2)
    }

    @Test func theEngineRefusesTheSameTimestampsWhenSentFromSwift() async throws {
        let dev = try await DevHarness()
        await #expect(throws: InvalidEvent(index: 0, problem: .timestampOutOfRange(.max))) {
            try await dev.engine.send([AnyEvent(name: "app/echo", ts: .max)])
        }
        do {
            try await dev.engine.send([AnyEvent(name: "app/ok"), AnyEvent(name: "app/echo", ts: -5)])
            Issue.record("a negative ts was accepted")
        } catch {
            #expect("\(error)".contains("event [1] \"ts\" -5 is outside"))
        }
        #expect(try await dev.engine.events(named: "app/ok").isEmpty)
    }

    @Test func aFutureTimestampWithinRangeDelaysTheRunUntilThen() async throws {
        let dev = try await DevHarness()
        try await dev.serve("app", [Self.echo])
        let later = dev.clock.now().addingTimeInterval(3_600)
        let ids = try await dev.send([["name": "app/echo", "data": ["n": 1], "ts": .integer(Int64(later.timeIntervalSince1970 * 1_000))]])
        await dev.engine.settle()
        #expect(try await dev.engine.runs(startedByEvent: ids[0]).first?.status == .queued)
        await dev.advance(by: .seconds(3_600))
        #expect(try await dev.run(startedBy: ids[0]).run.status == .completed)
    }

    @Test func eventFieldsOfTheWrongTypeAreNamed() async throws {
        let dev = try await DevHarness()
        let cases: [(body: String, mentions: String)] = [
            (#"{"name":"app/echo","user":"alice"}"#, "\"user\" must be a JSON object"),
            (#"{"name":"app/echo","user":42}"#, "\"user\" must be a JSON object"),
            (#"{"name":"app/echo","user":[1]}"#, "\"user\" must be a JSON object"),
            (#"{"name":"app/echo","ts":"yesterday"}"#, "\"ts\" must be an integer"),
            (#"{"name":"app/echo","ts":1.5}"#, "\"ts\" must be an integer"),
            (#"{"name":"app/echo","ts":1e300}"#, "\"ts\" must be an integer"),
            (#"{"name":"app/echo","ts":true}"#, "\"ts\" must be an integer"),
            (#"{"name":7}"#, "\"name\" must be a string"),
            (#"{"name":"app/echo","id":{}}"#, "\"id\" must be a string"),
            (#"{"name":"app/echo","v":1}"#, "\"v\" must be a string"),
        ]
        for (body, mentions) in cases {
            let response = await post(dev, "/e/key", body)
            #expect(response.status == 400, "\(body)")
            #expect(response.json?["error"]?.stringValue?.contains(mentions) == true, "\(body): \(response.bodyText)")
        }
        // `user: null` is the same as no user.
        #expect(await post(dev, "/e/key", #"{"name":"app/echo","user":null}"#).status == 200)
    }

    // MARK: Nesting

    @Test func deepEventsAreRefusedNamingTheLimitAndNeverGetA5xx() async throws {
        let dev = try await DevHarness()
        try await dev.serve("app", [Self.echo])
        // The event object is one level.
        let deepest = InngestLimits.maxEventNesting - 1
        let ids = await post(dev, "/e/key", #"{"name":"app/echo","data":\#(nested(deepest))}"#).json?["ids"]?.arrayValue
        let id = try #require(ids?.first?.stringValue)
        let run = try await dev.run(startedBy: id)
        #expect(run.run.status == .completed)
        #expect(run.run.output == (try JSONText.read(nested(deepest))))

        for depth in [deepest + 1, 400, 509, 510, 511] {
            let response = await post(dev, "/e/key", #"{"name":"app/echo","data":\#(nested(depth))}"#)
            #expect(response.status == 400, "depth \(depth): \(response.bodyText)")
            #expect(response.json?["error"]?.stringValue?.contains("\(InngestLimits.maxEventNesting) levels") == true, "depth \(depth): \(response.bodyText)")
        }
        for depth in [512, 600, 5_000] {
            let response = await post(dev, "/e/key", #"{"name":"app/echo","data":\#(nested(depth))}"#)
            #expect(response.status == 400, "depth \(depth): \(response.bodyText)")
            #expect(response.json?["error"]?.stringValue?.contains("nesting deeper than \(JSONText.maximumDepth)") == true, "depth \(depth)")
        }
        #expect(try await dev.engine.events(named: "app/echo").count == 1)
    }

    @Test func theWriterAcceptsExactlyTheNestingTheReaderDoes() throws {
        let deepest = try JSONText.read(String(repeating: "[", count: JSONText.maximumDepth) + String(repeating: "]", count: JSONText.maximumDepth))
        #expect(try JSONText.read(JSONText.write(deepest)) == deepest)
        #expect(throws: EncodingError.self) { try JSONText.write(.array([deepest])) }
        #expect(throws: JSONText.SyntaxError.self) {
            try JSONText.read(String(repeating: "[", count: JSONText.maximumDepth + 1) + String(repeating: "]", count: JSONText.maximumDepth + 1))
        }
        // Events take the direct path through the codec, both ways.
        // The event object is level 1, `data` 2, and the array in it the remaining 510 levels.
        let event = AnyEvent(name: "a/b", data: ["deep": try #require(deepest[0]?[0])])
        let text = try JSONCodec.shared.encodeToString(event)
        #expect(try JSONCodec.shared.decode(AnyEvent.self, from: Data(text.utf8)) == event)
    }

    // MARK: Routes

    @Test func aMethodARouteDoesNotTakeGets405WithTheJSONErrorBody() async throws {
        let dev = try await DevHarness()
        for (method, path, allowed) in [
            ("PATCH", "/v1/runs/01ABC", "GET, DELETE"), ("PUT", "/e/key", "POST"), ("POST", "/dev", "GET"),
            ("GET", "/v1/runs/01ABC/cancel", "POST"),
        ] {
            let response = await dev.server.handle(HTTPRequestMessage(method: try #require(HTTPRequest.Method(method)), url: DevHarness.devOrigin + path))
            #expect(response.status == 405, "\(method) \(path)")
            #expect(response.json?["error"]?.stringValue?.contains(allowed) == true, "\(method) \(path): \(response.bodyText)")
            #expect(response.json?["status"] == 405)
            #expect(response.headerFields[HTTPField.Name.allow] == allowed)
        }
        let unknown = await dev.server.handle(HTTPRequestMessage(method: .get, url: DevHarness.devOrigin + "/v1/nothing"))
        #expect(unknown.status == 404)
        #expect(unknown.json?["error"] != nil)
        // Outside the API, the dashboard answers an HTML page.
        let page = await dev.server.handle(HTTPRequestMessage(method: .get, url: DevHarness.devOrigin + "/v2/nothing"))
        #expect(page.status == 404)
        #expect(page.headerFields[.contentType]?.hasPrefix("text/html") == true)
    }

    // MARK: Numbers from apps

    @Test func registerPayloadNumbersOutOfRangeAreRefusedNamingTheField() async throws {
        let dev = try await DevHarness()
        let huge = JSONValue.integer(.max)
        let cases: [(options: [String: JSONValue], mentions: String)] = [
            (["throttle": ["limit": 1, "period": "1m", "burst": huge]], "throttle.burst: 9223372036854775807 is outside 1...1000000"),
            (["throttle": ["limit": huge, "period": "1m"]], "throttle.limit"),
            (["concurrency": [["limit": huge]]], "concurrency.limit"),
            (["rateLimit": ["limit": huge, "period": "1h"]], "rateLimit.limit"),
            (["debounce": ["period": "9999999999999999999h"]], "debounce is not valid: .period"),
            (["timeouts": ["finish": "99999999999w"]], "timeouts is not valid: .finish"),
            (["batchEvents": ["maxSize": huge, "timeout": "5s"]], "batchEvents.maxSize"),
            (["cancel": [["event": "app/stop", "timeout": "999999999d"]]], "cancel"),
        ]
        for (options, mentions) in cases {
            var function: [String: JSONValue] = ["id": "evil-f", "triggers": [["event": "app/x"]]]
            function.merge(options) { _, new in new }
            let body = try JSONText.write(["appName": "evil", "url": "http://evil.test/api/inngest", "functions": [.object(function)]])
            let response = await post(dev, "/fn/register", body)
            #expect(response.status == 400, "\(options)")
            #expect(response.json?["error"]?.stringValue?.contains(mentions) == true, "\(mentions) in \(response.bodyText)")
        }
        #expect(try await dev.engine.syncedApps().isEmpty)
        // Retries past the server's clamp count as its maximum, as the Go server reads them.
        let clamped = try JSONText.write([
            "appName": "evil", "url": "http://evil.test/api/inngest",
            "functions": [
                ["id": "evil-f", "triggers": [["event": "app/x"]], "steps": ["step": ["retries": ["attempts": huge]]]]
            ],
        ])
        #expect(await post(dev, "/fn/register", clamped).status == 200)
    }

    @Test func aPriorityExpressionYieldingAHugeNumberIsClamped() async throws {
        let dev = try await DevHarness()
        let app = ScriptedApp(dev, "prio") { _ in .completed("done") }
        try await app.register([["id": "prio-f", "triggers": [["event": "app/p"]], "priority": ["run": "event.data.p"]]])
        let ids = try await dev.send([
            ["name": "app/p", "data": ["p": 1e300]], ["name": "app/p", "data": ["p": -1e300]],
            ["name": "app/p", "data": ["p": .integer(.min)]],
        ])
        for id in ids { #expect(try await dev.run(startedBy: id).run.output == "done") }
    }

    @Test(arguments: [
        (#"{"id":"h","op":"Sleep","name":"9999-12-31T23:59:59.000Z"}"#, "366"),
        (#"{"id":"h","op":"Sleep","opts":{"duration":"99999999999999999999999d"}}"#, "longer than 366 days"),
        (#"{"id":"h","op":"Sleep","opts":{"duration":"soon"}}"#, "neither a time string"),
        (#"{"id":"h","op":"Sleep","opts":{"duration":"9000000h"}}"#, "longer than 366 days"),
        (#"{"id":"h","op":"WaitForEvent","opts":{"event":"app/x","timeout":"9999-12-31T00:00:00Z"}}"#, "longer than 366 days"),
        (#"{"id":"h","op":"WaitForEvent","opts":{"event":"app/x","timeout":"99999999999999999999999w"}}"#, "longer than 366 days"),
        (#"{"id":"h","op":"InvokeFunction","opts":{"function_id":"x-y","timeout":"9999-12-31T00:00:00Z"}}"#, "longer than 366 days"),
        (#"{"id":"h","op":"StepRun","data":1,"userland":{"id":"s","index":9223372036854775807}}"#, ""),
    ])
    func opTimesFromAnAppOutOfRangeFailTheRunNamingTheOp(op: String, mentions: String) async throws {
        let dev = try await DevHarness()
        let app = ScriptedApp(dev, "ops") { call in
            call.steps.isEmpty ? .ops(op) : .completed("finished")
        }
        try await app.register([["id": "ops-f", "triggers": [["event": "app/o"]], "steps": ["step": ["retries": ["attempts": 0]]]]])
        let id = try await dev.send("app/o")
        let run = try await dev.run(startedBy: id)
        if mentions.isEmpty {
            #expect(run.run.status == .completed)
        } else {
            #expect(run.run.status == .failed)
            #expect(run.run.error?.message.contains(mentions) == true, "\(run.run.error?.message ?? "no error")")
        }
        #expect(try await dev.send("app/echo") != "")
    }

    @Test(arguments: ["Fri, 31 Dec 9999 23:59:59 GMT", "9999999", "9999-12-31T23:59:59Z", "-5", "99999999999999999999"])
    func aRetryAfterFromAnAppIsClampedToADay(header: String) async throws {
        let dev = try await DevHarness()
        let app = ScriptedApp(dev, "later") { call in
            call.attempt == 0 ? .failed(retryAfter: header) : .completed("second try")
        }
        try await app.register([["id": "later-f", "triggers": [["event": "app/l"]], "steps": ["step": ["retries": ["attempts": 1]]]]])
        let id = try await dev.send("app/l")
        await dev.engine.settle()
        let next = try #require(dev.engine.nextTimerDate)
        #expect(next <= dev.clock.now().addingTimeInterval(86_400))
        await dev.advance(by: .seconds(86_400))
        #expect(try await dev.run(startedBy: id).run.output == "second try")
    }

    /// A failed call before any step (an app killed mid-call, an error outside steps) is a
    /// retry of the function: it stays visible in the run's history after the run went on.
    @Test func aFunctionLevelRetryIsKeptInTheRunsFailedAttempts() async throws {
        let dev = try await DevHarness()
        let app = ScriptedApp(dev, "flaky") { call in
            call.attempt == 0 ? .failed(retryAfter: nil) : .completed("second try")
        }
        try await app.register([["id": "flaky-f", "triggers": [["event": "app/flaky"]], "steps": ["step": ["retries": ["attempts": 3]]]]])
        let id = try await dev.send("app/flaky")
        await dev.engine.settle()
        await dev.advance(by: .seconds(60))
        let detail = try await dev.run(startedBy: id)
        #expect(detail.run.output == "second try")
        #expect(detail.failedAttempts.map(\.number) == [1])
        #expect(detail.failedAttempts.first?.error.message.contains("the app refused") == true, "\(detail.failedAttempts)")
        let api = await dev.server.handle(HTTPRequestMessage(method: .get, url: DevHarness.devOrigin + "/v1/runs/\(detail.run.id)"))
        #expect(api.json?["data"]?["failed_attempts"]?[0]?["attempt"] == 1, "\(api.bodyText)")
        let page = await dev.server.handle(HTTPRequestMessage(method: .get, url: DevHarness.devOrigin + "/runs/\(detail.run.id)"))
        #expect(page.bodyText.contains("data-run-attempt=\"1\""), "the run page lists the function's failed attempt")
        #expect(page.bodyText.contains("the app refused"))
        #expect(detail.steps.allSatisfy { $0.failedAttempts.isEmpty }, "no step failed: the function did")
    }

    // MARK: Failure handlers and syncs

    /// What the Python SDK 0.5.19 registers for a function with `on_failure`: the handler is a
    /// function of its own, `<fn>-failure`, with `concurrency: []` and `cancel: []`.
    @Test func aPythonAppWithAnOnFailureHandlerSyncsAndTheHandlerRuns() async throws {
        let dev = try await DevHarness()
        let app = ScriptedApp(dev, "py") { call in
            call.functionID == "py-flaky" ? .failed(retryAfter: nil, noRetry: true) : .completed(call.event["data"]?["error"]?["message"] ?? "no error")
        }
        try await app.register([
            [
                "id": "py-flaky", "name": "flaky", "triggers": [["event": "app/flaky"]], "concurrency": .null,
                "steps": [
                    "step": [
                        "id": "step", "name": "step", "retries": ["attempts": 0],
                        "runtime": ["type": "http", "url": "http://py.test/api/inngest?fnId=py-flaky&stepId=step"],
                    ]
                ],
            ],
            [
                "id": "py-flaky-failure", "name": "flaky (failure)", "cancel": [], "concurrency": [], "batchEvents": .null, "debounce": .null,
                "triggers": [["event": "inngest/function.failed", "expression": "event.data.function_id == 'py-flaky'"]],
                "steps": [
                    "step": [
                        "id": "step", "name": "step", "retries": ["attempts": 0],
                        "runtime": ["type": "http", "url": "http://py.test/api/inngest?fnId=py-flaky-failure&stepId=step"],
                    ]
                ],
            ],
        ])
        let id = try await dev.send("app/flaky")
        #expect(try await dev.run(startedBy: id).run.status == .failed)
        let handled = try await dev.engine.runs(function: "py-flaky-failure", status: .completed)
        #expect(handled.count == 1)
        #expect(handled.first?.output == "the app refused")
    }

    @Test func aSyncTheServerRefusedIsLoggedAsAFailureAndShownAsNotSynced() async throws {
        let dev = try await DevHarness()
        // An app that answers the sync PUT with 200 and relays the server's error, as the Python SDK does.
        dev.network.route("http://refused.test") { [server = dev.server] request in
            guard request.method == .put else { return HTTPResponseMessage(status: 405, headerFields: [:], body: []) }
            let register = try? JSONText.write([
                "appName": "refused", "url": "http://refused.test/api/inngest",
                "functions": [["id": "refused-f", "triggers": [["event": "app/x"]], "concurrency": [["limit": 0]]]],
            ])
            let answer = await server.handle(HTTPRequestMessage(method: .post, url: DevHarness.devOrigin + "/fn/register", body: Array((register ?? "").utf8)))
            let error = answer.json?["error"] ?? "?"
            return HTTPResponseMessage(status: 200, headerFields: [.contentType: "application/json"], body: Array(((try? JSONText.write(["error": error])) ?? "").utf8))
        }
        do {
            try await dev.server.syncApp(at: "http://refused.test/api/inngest", attempts: 3, interval: .milliseconds(1))
            Issue.record("the refused sync was reported as a success")
        } catch {
            #expect(error.reason.contains("concurrency.limit"), "\(error)")
            #expect(error.appAnswered)
        }
        // One attempt: an app that answered would answer the same again.
        #expect(dev.network.requests.filter { $0.url.hasPrefix("http://refused.test") }.count == 1)
        let apps = await dev.server.handle(HTTPRequestMessage(method: .get, url: DevHarness.devOrigin + "/dev"))
        let entry = try #require(apps.json?["apps"]?[0])
        #expect(entry["synced"] == false)
        #expect(entry["app_id"] == "refused")
        #expect(entry["error"]?.stringValue?.contains("concurrency.limit") == true)

        // Once it syncs, it shows as synced.
        try await ScriptedApp(dev, "refused") { _ in .completed(1) }.register([["id": "refused-f", "triggers": [["event": "app/x"]]]])
        let synced = await dev.server.handle(HTTPRequestMessage(method: .get, url: DevHarness.devOrigin + "/dev"))
        #expect(synced.json?["apps"]?.arrayValue?.count == 1)
        #expect(synced.json?["apps"]?[0]?["synced"] == true)
    }
}
