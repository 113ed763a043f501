import Foundation
import Inngest
import InngestCodegen
import Testing

/// The published schema describes what the generator writes, and rejects what it must not.
@Suite struct SchemaValidationTests {
    let validator: JSONSchemaValidator

    init() throws {
        validator = JSONSchemaValidator(root: try JSONDecoder().decode(JSONValue.self, from: Data(contentsOf: TestPaths.schema)))
    }

    @Test func pythonAppManifestIsValidAndReadable() throws {
        let json = try JSONDecoder().decode(JSONValue.self, from: Data(contentsOf: TestPaths.pythonManifest))
        #expect(validator.validate(json) == [])
        let manifest = try ManifestReader.load(from: TestPaths.pythonManifest)
        #expect(manifest.appID == "my-python-app")
        let multiStep = try #require(manifest.functions.first { $0.id == "multi-step" })
        // Same hashing as the runtime, whatever language wrote the app.
        #expect(multiStep.steps.map(\.wireID) == ["first-step", "pause", "second-step"].map { StepIdentity(userID: $0, index: 0).hashedID })
    }

    @Test func schemaRejectsBrokenManifests() throws {
        let valid = try JSONDecoder().decode(JSONValue.self, from: Data(contentsOf: TestPaths.pythonManifest))
        guard case .object(var manifest) = valid, case .array(var functions) = manifest["functions"],
            case .object(var function) = functions[1], case .array(var steps) = function["steps"],
            case .object(var step) = steps[0]
        else {
            Issue.record("unexpected fixture shape")
            return
        }
        step["wireId"] = "first-step"
        steps[0] = .object(step)
        function["steps"] = .array(steps)
        function["triggers"] = [["event": "a", "cron": "* * * * *"]]
        function.removeValue(forKey: "id")
        functions[1] = .object(function)
        manifest["functions"] = .array(functions)
        manifest["formatVersion"] = 2

        let errors = validator.validate(.object(manifest))
        #expect(errors.contains("$.formatVersion: expected 1"))
        #expect(errors.contains("$.functions[1]: missing \"id\""))
        #expect(errors.contains { $0.hasPrefix("$.functions[1].steps[0].wireId: \"first-step\" does not match") })
        #expect(errors.contains { $0.hasPrefix("$.functions[1].triggers[0]: matches 0 of the oneOf") })
    }

    @Test func newerFormatVersionIsRefusedWithAClearError() throws {
        let text = #"{"formatVersion": 9, "appId": "x", "functions": [], "events": {}}"#
        #expect(throws: InputError.self) { try ManifestReader.read(text, path: "x.inngest.json") }
    }
}
