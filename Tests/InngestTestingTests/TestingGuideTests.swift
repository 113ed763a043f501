import Foundation
import Testing

/// Docs/Testing.md shows tests of this target; they must be the tests that run.
@Suite struct TestingGuideTests {
    @Test func everyExampleOfTheGuideIsATestOfThisTarget() throws {
        let here = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        let guide = try String(contentsOf: here.appendingPathComponent("../../Docs/Testing.md"), encoding: .utf8)
        let tests = try String(contentsOf: here.appendingPathComponent("TestEnvironmentTests.swift"), encoding: .utf8)
        let blocks = guide.components(separatedBy: "```swift\n").dropFirst().compactMap { $0.components(separatedBy: "\n```").first }
        let examples = blocks.filter { $0.hasPrefix("@Test func") }
        #expect(examples.count == 6)
        for example in examples {
            let indented = example.split(separator: "\n", omittingEmptySubsequences: false).map { $0.isEmpty ? "" : "    " + $0 }.joined(separator: "\n")
            #expect(tests.contains(indented), "the guide's example is not in TestEnvironmentTests.swift:\n\(example)")
        }
    }
}
