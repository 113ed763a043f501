import Foundation
import Testing

@testable import Inngest

/// Reading register payloads as the server does: what the Swift SDK sends reads back to the
/// same configuration; what the Python SDK sent (recorded) reads with its retries and URLs.
@Suite struct AppRegistrationTests {
    @Test func everyOptionTheSwiftSDKRegistersReadsBackUnchanged() throws {
        let configuration = FunctionConfiguration(
            id: "everything", name: "Every option",
            triggers: [.event("app/a", if: "event.data.ok == true"), .cron("TZ=Europe/Paris 0 9 * * 1", jitter: "5m")],
            retries: 7,
            cancelOn: [Cancellation(event: "app/cancel", match: "data.id", timeout: "1h")],
            concurrency: [ConcurrencyLimit(limit: 2, key: "event.data.user", scope: .env), ConcurrencyLimit(limit: 5)],
            throttle: Throttle(limit: 3, period: "1m", burst: 2, key: "event.data.user"),
            rateLimit: RateLimit(limit: 10, period: "1h", key: "event.data.user"),
            priority: Priority(run: "event.data.plan == 'pro' ? 120 : 0"),
            idempotency: "event.data.order",
            timeouts: Timeouts(start: "10m", finish: "1h"),
            singleton: Singleton(key: "event.data.user", mode: .cancel))
        let debounced = FunctionConfiguration(id: "debounced", trigger: .event("app/b"), debounce: Debounce(period: "5s", key: "event.data.k", timeout: "1m"))
        let batched = FunctionConfiguration(id: "batched", trigger: .event("app/c"), batchEvents: BatchEvents(maxSize: 10, timeout: "5s", key: "event.data.t"))
        let functions = [configuration, debounced, batched].map { InngestFunction($0) { (_: Context<JSONValue>) in 0 } }
        let request = try RegisterRequest(
            appURL: "https://shop.test/api/inngest", functions: functions,
            configuration: InngestConfiguration(appID: "shop", environment: [:]))
        // Through the bytes the server receives, as the server reads them.
        let registration = try AppRegistration(json: JSONText.read(request.jsonBytes()))
        #expect(registration.appID == "shop")
        #expect(registration.url == "https://shop.test/api/inngest")
        #expect(registration.sdk == SDKIdentity.registerValue)
        #expect(registration.functions.map(\.compositeID) == ["shop-everything", "shop-debounced", "shop-batched"])
        #expect(registration.functions.map(\.configuration) == [configuration, debounced, batched])
        #expect(registration.functions[0].url == "https://shop.test/api/inngest?fnId=shop-everything&stepId=step")
    }

    @Test func thePythonSDKsRecordedRegistrationReads() throws {
        let body = try #require(try Capture("02-sync-put").outbound.first?["body"])
        let registration = try AppRegistration(json: body)
        // Python sends `appname`: member names match case-insensitively, as in Go.
        #expect(registration.appID == "my-python-app")
        #expect(registration.sdk == "py:v0.5.19")
        #expect(registration.functions.count == 8)
        let byID = Dictionary(uniqueKeysWithValues: registration.functions.map { ($0.compositeID, $0) })
        #expect(byID["my-python-app-always-fails"]?.configuration.retries == 0)
        #expect(byID["my-python-app-flaky-step"]?.configuration.retries == 1)
        #expect(byID["my-python-app-compute-square"]?.configuration.retries == InngestLimits.defaultRetries)
        #expect(byID["my-python-app-compute-square"]?.configuration.id == "compute-square")
        #expect(byID["my-python-app-compute-square"]?.configuration.triggers == [.event("calculate/square")])
        #expect(byID["my-python-app-multi-step"]?.url == "http://127.0.0.1:3939/api/inngest?fnId=my-python-app-multi-step&stepId=step")
    }

    @Test func retriesAboveTheServersMaximumCountAsTwenty() throws {
        let body: JSONValue = [
            "appName": "a", "url": "http://a.test",
            "functions": [
                ["id": "a-f", "triggers": [["event": "x"]], "steps": ["step": ["retries": ["attempts": 99]]]],
                ["id": "a-g", "triggers": [["event": "x"]], "retries": 3],
            ],
        ]
        let registration = try AppRegistration(json: body)
        #expect(registration.functions.map(\.configuration.retries) == [20, 3])
    }

    @Test func invalidPayloadsNameTheFieldAndTheProblem() {
        let cases: [(JSONValue, String)] = [
            ([1, 2], "JSON object"),
            (["url": "http://a.test"], "appName"),
            (["appName": "a"], "url"),
            (["appName": "a", "url": "http://a.test", "functions": "f"], "\"functions\" must be an array"),
            (["appName": "a", "url": "http://a.test", "functions": [["triggers": []]]], "functions[0].id"),
            (["appName": "a", "url": "http://a.test", "functions": [["id": "a-f", "triggers": [["nothing": 1]]]]], "functions[0].triggers"),
            (["appName": "a", "url": "http://a.test", "functions": [["id": "a-f", "triggers": [["event": "x"]], "throttle": ["limit": "ten"]]]], "functions[0].throttle"),
            (["appName": "a", "url": "http://a.test", "functions": [["id": "a-f", "triggers": [["event": "x"]], "retries": -1]]], "retries"),
            (["appName": "a", "url": "http://a.test", "functions": [["id": "a-f", "triggers": [["event": "x"]], "rateLimit": ["limit": 0, "period": "1h"]]]], "rateLimit"),
        ]
        for (json, mentions) in cases {
            #expect(throws: AppRegistration.Invalid.self) { try AppRegistration(json: json) }
            do {
                _ = try AppRegistration(json: json)
            } catch {
                #expect(error.description.contains(mentions), "\(error.description) should mention \(mentions)")
            }
        }
    }

    @Test func memberNamesOfTheDocumentMatchCaseInsensitivelyAsGoReadsThem() throws {
        let body: JSONValue = [
            "APPNAME": "py", "appname": "ignored-when-an-exact-match-exists", "appName": "py-app", "URL": "http://py.test/api",
            "Functions": [
                [
                    "ID": "py-app-f", "Name": "F", "TRIGGERS": [["event": "app/x"]], "Throttle": ["limit": 2, "period": "1m"],
                    "STEPS": ["step": ["Runtime": ["URL": "http://py.test/api?fnId=py-app-f&stepId=step"], "RETRIES": ["Attempts": 7]]],
                    "debounce": nil,
                ]
            ],
        ]
        let registration = try AppRegistration(json: body)
        #expect(registration.appID == "py-app")
        #expect(registration.url == "http://py.test/api")
        let function = try #require(registration.functions.first)
        #expect(function.compositeID == "py-app-f")
        #expect(function.configuration.name == "F")
        #expect(function.configuration.retries == 7)
        #expect(function.configuration.throttle == Throttle(limit: 2, period: "1m"))
        #expect(function.configuration.debounce == nil)
        #expect(function.url == "http://py.test/api?fnId=py-app-f&stepId=step")
    }

    @Test func aMemberOfTheWrongShapeIsNamedFromTheRoot() {
        let cases: [(JSONValue, String)] = [
            (["appName": 1, "url": "http://a.test"], "\"appName\" must be a string"),
            (
                ["appName": "a", "url": "http://a.test", "functions": [["id": "a-f", "steps": ["step": ["retries": ["attempts": "x"]]]]]],
                "\"functions[0].steps.step.retries.attempts\" must be an integer"
            ),
            (
                ["appName": "a", "url": "http://a.test", "functions": [["id": "a-f", "throttle": ["limit": "ten", "period": "1m"]]]],
                "functions[0].throttle is not valid: .limit"
            ),
        ]
        for (json, message) in cases {
            do {
                _ = try AppRegistration(json: json)
                Issue.record("\(json) was accepted")
            } catch {
                #expect(error.description.contains(message), "\(error.description) should contain \(message)")
            }
        }
    }

    /// Deep values pass through the Codable model only where a member is unknown (skipped)
    /// or of the wrong shape (refused); neither is a 5xx, at the reader's deepest level.
    @Test func deeplyNestedMembersAreSkippedOrRefusedNamingTheField() throws {
        var deep: JSONValue = 1
        for _ in 0..<500 { deep = ["a": deep] }
        let function: JSONValue = ["id": "a-f", "triggers": [["event": "app/e"]], "future_option": deep]
        let registration = try AppRegistration(json: ["appName": "a", "url": "http://a.test", "functions": [function], "extra": deep])
        #expect(registration.functions.count == 1)
        do {
            _ = try AppRegistration(json: ["appName": "a", "url": "http://a.test", "functions": [["id": "a-f", "concurrency": deep]]])
            Issue.record("a nested object was accepted as concurrency")
        } catch {
            #expect(error.description.contains("functions[0].concurrency"), "\(error.description)")
        }
    }
}
