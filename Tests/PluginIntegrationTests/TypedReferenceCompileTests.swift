import Foundation
import Testing

/// A reference generated from another app's manifest is fully typed: passing the wrong
/// input type is a compile error. Type-checks small snippets with `swiftc` against the
/// modules this test build produced (about a second, no package build).
@Suite struct TypedReferenceCompileTests {
    @Test func rightInputTypeCompiles() throws {
        let result = try Self.typecheck(
            """
            let answer = try await ctx.step.invoke("python-square", function: MyPythonApp.computeSquare, data: MyPythonApp.SquareInput(number: 3))
            let _: Int = answer.result
            """)
        #expect(result.status == 0, "\(result.output)")
    }

    @Test func wrongInputTypeIsACompileError() throws {
        let result = try Self.typecheck(
            """
            _ = try await ctx.step.invoke("python-square", function: MyPythonApp.computeSquare, data: Events.CalculateSquare(number: 3))
            """)
        #expect(result.status != 0)
        #expect(result.output.contains("error: cannot convert value of type 'Events.CalculateSquare' to expected argument type 'MyPythonApp.SquareInput'"), "\(result.output)")
    }

    @Test func wrongOutputTypeIsACompileError() throws {
        let result = try Self.typecheck(
            """
            let _: String = try await ctx.step.invoke("square", function: Functions.computeSquare, data: Events.CalculateSquare(number: 3))
            """)
        #expect(result.status != 0)
        #expect(result.output.contains("cannot convert value of type 'SquareOutput' to specified type 'String'"), "\(result.output)")
    }

    /// Type-checks `body` inside a handler, importing the fixture module (generated code included).
    static func typecheck(_ body: String) throws -> (status: Int32, output: String) {
        let source = """
            import Inngest
            import InngestPluginFixture

            func handler(_ ctx: Context<JSONValue>) async throws {
                \(body)
            }
            """
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("typed-reference-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let file = directory.appendingPathComponent("Snippet.swift")
        try Data(source.utf8).write(to: file)

        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["swiftc", "-typecheck", "-swift-version", "6", "-I", try modulesDirectory().path, file.path]
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        try process.run()
        let output = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: output, as: UTF8.self))
    }

    /// `Modules/` next to the test binary: where this build put the fixture's module.
    private static func modulesDirectory() throws -> URL {
        var directory = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath().deletingLastPathComponent()
        for _ in 0..<6 {
            let candidate = directory.appendingPathComponent("Modules/InngestPluginFixture.swiftmodule")
            if FileManager.default.fileExists(atPath: candidate.path) { return candidate.deletingLastPathComponent() }
            directory.deleteLastPathComponent()
        }
        throw CocoaError(.fileNoSuchFile, userInfo: [NSFilePathErrorKey: "Modules/InngestPluginFixture.swiftmodule near \(CommandLine.arguments[0])"])
    }
}
