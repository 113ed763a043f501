import Foundation
import Inngest
import InngestPluginFixture
import Testing

/// Calls the code the plugin generated for `InngestPluginFixture` during this very build.
@Suite struct GeneratedRegistryTests {
    @Test func registryListsEveryAnnotatedFunctionWithItsOptions() throws {
        #expect(Functions.appID == "fixture-app")
        #expect(Set(Functions.all.map(\.id)) == ["compute-square", "process-order", "ask-python", "nightly-report"])
        let process = try #require(Functions.all.first { $0.id == "process-order" })
        #expect(process.configuration.name == "Process order")
        #expect(process.configuration.retries == 3)
        #expect(process.configuration.triggers == [.event("shop/order.placed")])
        #expect(process.configuration.concurrency == .limit(5, key: "event.data.order_id"))
        #expect(process.configuration.debounce == Debounce(period: "2s"))
        #expect(process.configuration.cancelOn.first?.condition == "event.data.order_id == async.data.order_id")
        for function in Functions.all { #expect(function.configuration.issues.isEmpty) }
    }

    @Test func referencesCarryTheWireIdentity() {
        #expect(Functions.computeSquare.functionID == "compute-square")
        #expect(Functions.computeSquare.compositeID(defaultAppID: "other") == "fixture-app-compute-square")
        #expect(MyPythonApp.computeSquare.compositeID(defaultAppID: "fixture-app") == "my-python-app-compute-square")
    }

    @Test func registeredHandlerRunsThroughTheExecutor() async {
        let square = Functions.all.first { $0.id == "compute-square" }
        guard let square else {
            Issue.record("compute-square is not registered")
            return
        }
        let event = AnyEvent(name: "calculate/square", data: ["number": 12], id: "01HQ8Z5R3J6W2K9T4V7X1Y0EVT", ts: 1_700_000_000_000)
        let outcome = await Executor(appID: Functions.appID).execute(square, ExecutionRequest(events: [event], runID: "01HQ8Z5R3J6W2K9T4V7X1Y0ABC"))
        #expect(outcome == .completed(["result": 144]))
    }

    @Test func stepsReportTheWireIDsTheManifestPromised() async throws {
        let manifest = try JSONDecoder().decode(JSONValue.self, from: Data(Functions.manifestJSON.utf8))
        let functions = manifest["functions"]?.arrayValue ?? []
        let nightly = try #require(functions.first { $0["id"]?.stringValue == "nightly-report" })
        let promised = nightly["steps"]?[0]?["wireId"]?.stringValue
        #expect(promised == StepIdentity(userID: "collect", index: 0).hashedID)

        let function = try #require(Functions.all.first { $0.id == "nightly-report" })
        let event = AnyEvent(name: "cron", data: [:], id: "01HQ8Z5R3J6W2K9T4V7X1Y0EVT", ts: 1_700_000_000_000)
        let outcome = await Executor(appID: Functions.appID).execute(function, ExecutionRequest(events: [event], runID: "01HQ8Z5R3J6W2K9T4V7X1Y0ABC"))
        guard case .steps(let ops) = outcome else {
            Issue.record("expected a step, got \(outcome)")
            return
        }
        #expect(ops.map(\.id) == [promised])
    }

    @Test func manifestIsAlsoInTheResourceBundle() throws {
        let url = try #require(FixtureResources.manifestURL)
        let data = try Data(contentsOf: url)
        #expect(String(decoding: data, as: UTF8.self) == Functions.manifestJSON + "\n")
    }

    @Test func catalogPayloadsEncodeWithTheirSchemaKeys() throws {
        #expect(Events.OrderPlaced.eventName == "shop/order.placed")
        #expect(Events.Name.shopOrderPlaced == "shop/order.placed")
        let order = Events.OrderPlaced(amountCents: 1250, channel: .web, items: [.init(quantity: 2, sku: "tea")], orderId: "o-1")
        let json = try JSONCodec.shared.jsonValue(of: order)
        #expect(json == ["amount_cents": 1250, "channel": "web", "items": [["quantity": 2, "sku": "tea"]], "order_id": "o-1"])
        let decoded = try JSONCodec.shared.decode(Events.OrderPlaced.self, from: json)
        #expect(decoded == order)
    }

    @Test func importedPayloadTypesMatchThePythonApp() throws {
        // The Python app reads `event.data.number` and returns `{"result": n * n}`.
        #expect(try JSONCodec.shared.jsonValue(of: MyPythonApp.SquareInput(number: 5)) == ["number": 5])
        let output = try JSONCodec.shared.decode(MyPythonApp.SquareOutput.self, from: ["result": 25])
        #expect(output.result == 25)
    }
}
