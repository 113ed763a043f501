import Foundation
import Inngest
import InngestCodegen
import Testing

/// Manifests imported from an app's sync payload (`inngest-codegen import`).
@Suite struct RegistrationImportTests {
    static let fixtures = TestPaths.fixtures.appendingPathComponent("Import")

    static func importPython() throws -> Manifest {
        let events = try RegistrationImport.eventCatalog(from: text("events.json"), source: "events.json")
        return try RegistrationImport.manifest(from: text("my-python-app.register.json"), source: "my-python-app.register.json", events: events)
    }

    static func text(_ name: String) throws -> String {
        try String(contentsOf: fixtures.appendingPathComponent(name), encoding: .utf8)
    }

    @Test func aRecordedPythonSyncMatchesTheGoldenManifest() throws {
        try GoldenTests.compare(ManifestCoding.encode(Self.importPython()), golden: "Import/my-python-app.inngest.json")
    }

    @Test func theImportedManifestReadsBackAndMatchesThePublishedSchema() throws {
        let manifest = try Self.importPython()
        let written = try ManifestCoding.encode(manifest)
        let (read, diagnostics) = ManifestReader.check(written, path: "my-python-app.inngest.json")
        #expect(diagnostics.isEmpty, "\(diagnostics)")
        #expect(read == manifest)
        let schema = try JSONDecoder().decode(JSONValue.self, from: Data(contentsOf: TestPaths.schema))
        #expect(JSONSchemaValidator(root: schema).validate(try JSONDecoder().decode(JSONValue.self, from: Data(written.utf8))) == [])
    }

    @Test func idsTriggersAndSchemasComeFromTheSyncAndTheCatalog() throws {
        let manifest = try Self.importPython()
        #expect(manifest.appID == "my-python-app")
        #expect(manifest.functions.map(\.id).first == "compute-square")
        let square = try #require(manifest.functions.first)
        #expect(square.wireID == "my-python-app-compute-square")
        #expect(square.triggers == [.event("calculate/square")])
        #expect(square.input == manifest.events["calculate/square"])
        #expect(square.output == RegistrationImport.untypedOutput)
        // Only the events the app's triggers use are copied from the catalog.
        #expect(Array(manifest.events.keys) == ["calculate/square"])
        let failing = try #require(manifest.functions.first { $0.id == "always-fails" })
        #expect(failing.options == ["retries": 0])
        #expect(failing.input == RegistrationImport.untypedInput)
    }

    @Test func anotherAppGetsTypedReferencesFromTheImportedManifest() throws {
        let directory = try TestPaths.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let source = directory.appendingPathComponent("App.swift")
        try Data("import Inngest\n".utf8).write(to: source)
        let imported = directory.appendingPathComponent("my-python-app.inngest.json")
        try Data(ManifestCoding.encode(Self.importPython()).utf8).write(to: imported)
        let inputs = GeneratorInputs(
            targetName: "App", sourceFiles: [source], importFiles: [imported], templatesDirectory: TestPaths.templates)
        let result = try Generator().run(inputs)
        #expect(result.diagnostics.filter { $0.severity == .error }.isEmpty, "\(result.diagnostics)")
        #expect(result.swift.contains("static let computeSquare = FunctionReference<CalculateSquare, JSONValue>"), "\(result.swift)")
        #expect(result.swift.contains("static let multiStep = FunctionReference<JSONValue, JSONValue>"), "\(result.swift)")
    }

    @Test func optionsAreMappedToTheManifestsNames() throws {
        let payload = """
            {
              "appName": "shop-ts",
              "functions": [{
                "id": "shop-ts-nightly",
                "triggers": [{ "cron": "TZ=Europe/Paris 0 3 * * *", "jitter": "5m" }],
                "steps": { "step": { "id": "step", "retries": { "attempts": 50 } } },
                "concurrency": 5,
                "cancel": [{ "event": "shop/cancelled", "if": null, "timeout": "1h" }],
                "throttle": { "limit": 1, "period": "1m", "key": null },
                "idempotency": "event.data.id",
                "optimizeParallelism": true
              }, {
                "id": "shop-ts-on-order",
                "name": "On order",
                "triggers": [{ "event": "shop/order", "expression": "event.data.total > 10" }],
                "concurrency": [{ "limit": 2, "key": "event.data.user", "scope": "account" }]
              }]
            }
            """
        let manifest = try RegistrationImport.manifest(from: payload, source: "shop.json")
        let nightly = try #require(manifest.functions.first)
        #expect(nightly.id == "nightly")
        #expect(nightly.name == "nightly")
        #expect(nightly.triggers == [.cron("TZ=Europe/Paris 0 3 * * *", jitter: "5m")])
        #expect(
            nightly.options == [
                "retries": 20, "concurrency": [["limit": 5]], "cancelOn": [["event": "shop/cancelled", "timeout": "1h"]],
                "throttle": ["limit": 1, "period": "1m"], "idempotency": "event.data.id",
            ])
        let onOrder = manifest.functions[1]
        #expect(onOrder.name == "On order")
        #expect(onOrder.triggers == [.event("shop/order", if: "event.data.total > 10")])
        #expect(onOrder.options == ["concurrency": [["limit": 2, "key": "event.data.user", "scope": "account"]]])
    }

    @Test func aDevServersFunctionListIsImportedForOneApp() throws {
        let listing = """
            {"data": [
              {"id": "a-one", "app_id": "a", "configuration": {"id": "a-one", "name": "one", "triggers": [{"event": "a/one"}]}},
              {"id": "b-two", "app_id": "b", "configuration": {"id": "b-b-two", "name": "b-b-two", "triggers": [],
                "steps": {"step": {"id": "step", "retries": {"attempts": 4}}}}}
            ]}
            """
        let manifest = try RegistrationImport.manifest(from: listing, source: "functions.json", appID: "b")
        #expect(manifest.appID == "b")
        // As a dev server lists them: the entry's id is the wire id, and a name repeating an id is none.
        #expect(manifest.functions.map(\.id) == ["two"])
        #expect(manifest.functions.map(\.wireID) == ["b-two"])
        #expect(manifest.functions.map(\.name) == ["two"])
        #expect(manifest.functions.map(\.options) == [["retries": 4]])
        let error = try #require(throws: InputError.self) { try RegistrationImport.manifest(from: listing, source: "functions.json") }
        #expect(error.description == "functions.json: data lists functions of several apps (a, b): pick one with the app id")
    }

    @Test func anInBandSyncAnswerNamesItsAppByAppID() throws {
        let answer = #"{"app_id": "x", "url": "http://127.0.0.1:3000/api/inngest", "functions": [{"id": "x-f", "name": "F"}]}"#
        let manifest = try RegistrationImport.manifest(from: answer, source: "answer.json", appID: "x")
        #expect(manifest.appID == "x")
        #expect(manifest.functions.map(\.name) == ["F"])
        let error = #expect(throws: InputError.self) { try RegistrationImport.manifest(from: answer, source: "answer.json", appID: "y") }
        #expect(error?.description == "answer.json: appName is \"x\", not the requested app \"y\"")
    }

    /// A payload, and how the error about it starts.
    static let badPayloads: [(String, String)] = [
        ("{\"appName\": \"x\",\n  \"functions\": [}", "sync.json:2:17: not valid JSON"),
        ("[1]", "sync.json: must be a JSON object"),
        (#"{"appName": "x"}"#, "sync.json: functions is missing"),
        (#"{"functions": []}"#, "sync.json: appName is missing"),
        (#"{"appName": "x", "functions": [{"name": "f"}]}"#, "sync.json: functions[0].id must be a non-empty string"),
        (function(#""triggers": [{"expression": "true"}]"#), "sync.json: functions[0].triggers[0] needs event (an event name) or cron (a schedule)"),
        (function(#""triggers": [{"event": "e", "cron": "* * * * *"}]"#), "sync.json: functions[0].triggers[0] has both event and cron"),
        (function(#""triggers": [{"cron": "* * * * *", "jitter": "soon"}]"#), "sync.json: functions[0].triggers[0].jitter must be a time string"),
        (function(#""steps": {"step": {"retries": {"attempts": -1}}}"#), "sync.json: functions[0].retries must be a non-negative integer"),
        (function(#""throttle": {"limit": 1}"#), "sync.json: functions[0].options.throttle: period is missing"),
        (#"{"appName": "x", "functions": [{"id": "x-f"}, {"id": "f"}]}"#, "sync.json: functions[1].id \"f\" is already used by functions[0]"),
    ]

    /// A payload of app `x` with one function `x-f` having `members`.
    static func function(_ members: String) -> String {
        #"{"appName": "x", "functions": [{"id": "x-f", "# + members + "}]}"
    }

    @Test(arguments: badPayloads)
    func aBadPayloadNamesTheField(_ payload: String, _ message: String) {
        let error = #expect(throws: InputError.self) { try RegistrationImport.manifest(from: payload, source: "sync.json") }
        #expect(error?.description.hasPrefix(message) == true, "\(error?.description ?? "")")
    }

    @Test func anEventCatalogMustMapNamesToSchemas() {
        let error = #expect(throws: InputError.self) { try RegistrationImport.eventCatalog(from: #"{"a/b": 3}"#, source: "events.json") }
        #expect(error?.description == "events.json: \"a/b\" must be a JSON Schema (an object, or true/false)")
    }
}
