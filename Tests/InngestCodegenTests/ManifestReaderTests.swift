import Foundation
import Inngest
import InngestCodegen
import Testing

/// Hand-written manifests: the short form's defaults, and every problem at its line and column.
@Suite struct ManifestReaderTests {
    @Test func theShortFormGetsItsDefaults() throws {
        let text = """
            {
              "appId": "billing",
              "functions": [
                { "id": "charge-card", "triggers": [{ "event": "billing/charge" }] },
                { "id": "refund", "steps": [{ "id": "lookup", "kind": "run" }] }
              ],
              "events": { "billing/charge": { "title": "ChargeRequest", "type": "object" } }
            }
            """
        let manifest = try ManifestReader.read(text, path: "billing.inngest.json")
        #expect(manifest.formatVersion == 1)
        #expect(Array(manifest.events.keys) == ["billing/charge"])
        let charge = try #require(manifest.functions.first)
        #expect(charge.wireID == "billing-charge-card")
        #expect(charge.name == "charge-card")
        #expect(charge.options.isEmpty)
        // The input is the triggering event's data when the catalog has the event.
        #expect(charge.input == manifest.events["billing/charge"])
        #expect(charge.output == .object([:]))
        #expect(charge.steps.isEmpty)
        #expect(charge.complete == false)
        let refund = manifest.functions[1]
        #expect(refund.complete == true)
        #expect(refund.triggers.isEmpty)
        #expect(refund.input == .object([:]))
        let step = try #require(refund.steps.first)
        #expect(step.wireID == StepIdentity(userID: "lookup", index: 0).hashedID)
        #expect(step.file == "billing.inngest.json")
        #expect(step.line == 5)
        #expect(step.inLoop == false)
    }

    @Test func everyProblemIsReportedAtOnceWithItsPlace() {
        let text = """
            {
              "appId": "billing",
              "functions": [
                { "id": "charge card", "trigger": [] },
                { "name": "no id", "triggers": [{ "event": "a/b", "expression": "event.data.x ==" }] },
                { "id": "nightly", "triggers": [{ "cron": "61 * * * *" }], "steps": [{ "id": "s", "kind": "walk" }] },
                { "id": "nightly", "complete": "yes" }
              ]
            }
            """
        let (manifest, diagnostics) = ManifestReader.check(text, path: "billing.inngest.json")
        #expect(manifest == nil)
        let lines = diagnostics.map(\.description)
        #expect(lines.count == 8, "\(lines)")
        #expect(lines.contains("billing.inngest.json:4:13: error: functions[0].id: id must be a non-empty string without spaces"))
        #expect(lines.contains { $0.hasPrefix("billing.inngest.json:4:28: error: functions[0].trigger: unknown key \"trigger\"; known keys: complete, id, input, name,") })
        #expect(lines.contains("billing.inngest.json:5:5: error: functions[1]: id is missing"))
        #expect(lines.contains { $0.hasPrefix("billing.inngest.json:5:69: error: functions[1].triggers[0].expression: expression: ") })
        #expect(lines.contains { $0.hasPrefix("billing.inngest.json:6:47: error: functions[2].triggers[0].cron: cron: ") })
        #expect(lines.contains { $0.hasPrefix("billing.inngest.json:6:95: error: functions[2].steps[0].kind: kind must be one of run, sleep,") })
        #expect(lines.contains("billing.inngest.json:7:13: error: functions[3].id: function id \"nightly\" is already used by functions[2]"))
        #expect(lines.contains("billing.inngest.json:7:36: error: functions[3].complete: complete must be true or false"))
    }

    /// What the schema refuses the reader refuses too (found differentially against the schema
    /// with jsonschema, Tests/Differential): options, a function's wireId, `$schema`.
    @Test(arguments: [
        (#"{"options": {"retries": "3"}}"#, "functions[0].options.retries: retries must be an integer from 0 to 20"),
        (#"{"options": {"retries": 21}}"#, "functions[0].options.retries: retries must be an integer from 0 to 20"),
        (#"{"options": {"madeUp": 1}}"#, "functions[0].options.madeUp: unknown key \"madeUp\""),
        (#"{"options": {"throttle": {"limit": 1}}}"#, "functions[0].options.throttle: period is missing"),
        (#"{"options": {"concurrency": [{"key": "event.data.id"}]}}"#, "functions[0].options.concurrency[0]: limit is missing"),
        (#"{"options": {"cancelOn": {"event": "a/b"}}}"#, "functions[0].options.cancelOn: cancelOn must be an array of objects"),
        (#"{"options": {"unresolved": [1]}}"#, "functions[0].options.unresolved: unresolved must be an array of strings"),
        (#"{"options": {"idempotency": 1}}"#, "functions[0].options.idempotency: idempotency must be a string"),
        (#"{"wireId": ""}"#, "functions[0].wireId: wireId (\"<appId>-<id>\") must be a non-empty string without spaces"),
        (#"{"wireId": "a b"}"#, "functions[0].wireId: wireId (\"<appId>-<id>\") must be a non-empty string without spaces"),
    ])
    func whatTheSchemaRefusesInAFunctionIsAnError(members: String, message: String) {
        let function = "{\"id\": \"f\", " + members.dropFirst()
        let (manifest, diagnostics) = ManifestReader.check(#"{"appId": "a", "functions": [\#(function)]}"#, path: "a.json")
        #expect(manifest == nil)
        #expect(diagnostics.contains { $0.description.contains(message) }, "\(diagnostics.map(\.description))")
    }

    @Test func aSchemaReferenceMustBeAString() {
        let (manifest, diagnostics) = ManifestReader.check(#"{"$schema": 1, "appId": "a", "functions": []}"#, path: "a.json")
        #expect(manifest == nil)
        #expect(diagnostics.map(\.description) == ["a.json:1:13: error: $schema: $schema must be a string (the schema's URL or path)"])
        let (accepted, _) = ManifestReader.check(#"{"$schema": "../schema.json", "appId": "a", "functions": [{"id": "f", "options": {"retries": 3}}]}"#, path: "a.json")
        #expect(accepted != nil)
    }

    @Test func invalidJSONIsReportedAtItsLineAndColumn() {
        let text = "{\n  \"appId\": \"x\",\n  \"functions\": [}\n}"
        let (_, diagnostics) = ManifestReader.check(text, path: "x.json")
        #expect(diagnostics.map(\.description) == ["x.json:3:17: error: not valid JSON: unexpected character"])
    }

    @Test func aMissingFunctionListAndAWrongAppIDAreBothReported() {
        let (_, diagnostics) = ManifestReader.check(#"{"appId": 3}"#, path: "x.json")
        #expect(
            diagnostics.map(\.description) == [
                "x.json:1:1: error: functions is missing: list the app's functions, each at least {\"id\": \"…\"}",
                "x.json:1:11: error: appId: appId must be a non-empty string without spaces",
            ])
    }

    @Test func whatTheGeneratorWritesReadsBackUnchanged() throws {
        let manifest = try ManifestReader.load(from: TestPaths.pythonManifest)
        let written = try ManifestCoding.encode(manifest)
        #expect(try ManifestReader.read(written, path: "again.json") == manifest)
    }

    @Test func theGeneratorReportsAnImportedManifestsProblemsAtTheirPlaces() throws {
        let directory = try TestPaths.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let source = directory.appendingPathComponent("App.swift")
        try Data("import Inngest\n".utf8).write(to: source)
        let imported = directory.appendingPathComponent("billing.inngest.json")
        try Data(#"{"appId": "billing", "functions": [{"id": "charge", "triggers": [{"evnt": "x"}]}]}"#.utf8).write(to: imported)
        let inputs = GeneratorInputs(
            targetName: "App", sourceFiles: [source], importFiles: [imported], templatesDirectory: TestPaths.templates,
            swiftOutput: directory.appendingPathComponent("App+Inngest.swift"), manifestOutput: directory.appendingPathComponent("app.inngest.json"))
        let error = try #require(throws: InputError.self) { try Generator().run(inputs) }
        #expect(
            error.lines == [
                "\(imported.path):1:66: error: functions[0].triggers[0]: a trigger needs event (an event name) or cron (a schedule)",
                "\(imported.path):1:67: error: functions[0].triggers[0].evnt: unknown key \"evnt\"; known keys: cron, event, expression, jitter",
            ])
    }
}
