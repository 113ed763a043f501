import Foundation
import Testing

@testable import InngestCodegen

/// `inngest-codegen export`: the Python and TypeScript modules of a fixture manifest (every
/// schema form the mapping knows, and the ones it does not) and of the Shop golden manifest,
/// compared with the files under `Golden/Export/` (re-record as for ``GoldenTests``).
/// Tests/Export/run.sh checks the same golden files with mypy and tsc.
@Suite struct ExportTests {
    static let manifests = [
        "orders": TestPaths.fixtures.appendingPathComponent("Export/orders.inngest.json"),
        "shop": TestPaths.golden.appendingPathComponent("Shop/shop.inngest.json"),
    ]

    @Test(arguments: manifests.keys.sorted())
    func exportedModulesMatchTheGoldenFiles(_ name: String) throws {
        let model = try Self.model(name)
        try GoldenTests.compare(PythonExport.render(model), golden: "Export/\(name).py")
        try GoldenTests.compare(TypeScriptExport.render(model), golden: "Export/\(name).ts")
    }

    @Test func theOrderOfKeysInTheManifestDoesNotChangeTheOutput() throws {
        let text = try String(contentsOf: try #require(Self.manifests["orders"]), encoding: .utf8)
        let reordered = try ManifestCoding.encode(try ManifestReader.read(text, path: "orders.inngest.json"))
        let first = ExportModel(manifest: try ManifestReader.read(text, path: "a"), source: "orders.inngest.json")
        let second = ExportModel(manifest: try ManifestReader.read(reordered, path: "b"), source: "orders.inngest.json")
        #expect(PythonExport.render(first) == PythonExport.render(second))
        #expect(TypeScriptExport.render(first) == TypeScriptExport.render(second))
    }

    @Test func theSDKsAreGivenAppAndFunctionIDsThatJoinToTheWireID() throws {
        let manifest = try ManifestReader.read(
            """
            {"appId": "billing", "functions": [
              {"id": "charge"}, {"id": "v2-refund", "wireId": "billing-v2-refund"},
              {"id": "moved", "wireId": "ledger-moved"}, {"id": "old", "wireId": "oldname"}
            ]}
            """, path: "billing.inngest.json")
        let targets = ExportModel(manifest: manifest, source: "billing.inngest.json").functions.map { function in
            function.target.map { "\($0.app)|\($0.function)" } ?? "none"
        }
        #expect(targets == ["billing|charge", "ledger|moved", "none", "billing|v2-refund"])
    }

    @Test func anInputThatIsNotAnObjectIsAnObjectOfAnyJSON() throws {
        let manifest = try ManifestReader.read(
            #"{"appId": "a", "functions": [{"id": "f", "input": {"type": "array", "items": {"type": "string"}}}]}"#, path: "a.inngest.json")
        let input = try #require(ExportModel(manifest: manifest, source: "a.inngest.json").functions.first?.input)
        #expect(input.type == .map(.json(note: "the input schema is not an object schema")))
        #expect(!input.isDeclaration)
    }

    @Test func aSelfReferenceThatIsNotAnObjectIsAnyJSON() throws {
        let manifest = try ManifestReader.read(
            ##"{"appId": "a", "functions": [{"id": "f", "output": {"$ref": "#/$defs/Tree", "$defs": {"Tree": {"type": "array", "items": {"$ref": "#/$defs/Tree"}}}}}]}"##,
            path: "a.inngest.json")
        let output = try #require(ExportModel(manifest: manifest, source: "a.inngest.json").functions.first?.output)
        #expect(output.type == .array(.json(note: "$ref #/$defs/Tree refers to itself")))
    }

    @Test func aLongChainOfReferencesEndsInAnyJSONInsteadOfExhaustingTheStack() throws {
        let count = 2_000
        let definitions = (0..<count).map { ##""d\##($0)": {"$ref": "#/$defs/d\##($0 + 1)"}"## }.joined(separator: ", ")
        let text = ##"{"appId": "a", "functions": [{"id": "f", "output": {"$ref": "#/$defs/d0", "$defs": {"## + definitions + "}}}]}"
        let model = ExportModel(manifest: try ManifestReader.read(text, path: "a.inngest.json"), source: "a.inngest.json")
        #expect(model.functions.first?.output.type == .json(note: "nested deeper than 512 levels"))
    }

    @Test func aMalformedManifestIsReportedAtItsFieldAndNothingIsExported() {
        let text = #"{"appId": "a", "functions": [{"id": "f", "input": 3}]}"#
        #expect {
            try ManifestReader.read(text, path: "a.inngest.json")
        } throws: { error in
            (error as? InputError)?.description.contains("functions[0].input: must be a JSON Schema") == true
        }
    }

    @Test func stringLiteralsReadTheSameInPythonAndTypeScript() {
        #expect(ExportNames.literal("a\"b\\c\nd\u{1}\u{2028}é") == #""a\"b\\c\nd\u0001\u2028é""#)
    }

    @Test func namesAreASCIIIdentifiersInEveryCase() {
        #expect(ExportNames.pascal("shop/order.placed") == "ShopOrderPlaced")
        #expect(ExportNames.camel("3d-render") == "n3dRender")
        #expect(ExportNames.snake("computeSquare") == "compute_square")
        #expect(ExportNames.pascal("日本") == "Type")
    }

    static func model(_ name: String) throws -> ExportModel {
        let url = try #require(manifests[name])
        return ExportModel(manifest: try ManifestReader.load(from: url), source: url.lastPathComponent)
    }
}
