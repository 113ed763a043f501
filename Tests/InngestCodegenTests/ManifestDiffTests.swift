import Foundation
import Inngest
import Testing

@testable import InngestCodegen

/// What `inngest-codegen diff` calls breaking, on manifests built from real sources.
@Suite struct ManifestDiffTests {
    static let before = """
        @InngestFunction(id: "signup", trigger: .event("app/user.created"))
        func signup(_ ctx: Context<JSONValue>) async throws {
            try await ctx.step.run("create-account") { 1 }
            try await ctx.step.run("send-welcome") { 2 }
        }
        @InngestFunction(id: "report", trigger: .cron("0 3 * * *"))
        func report(_ ctx: Context<JSONValue>) async throws {
            try await ctx.step.run("collect") { 1 }
        }
        @InngestFunction(id: "legacy", trigger: .event("app/legacy"))
        func legacy(_ ctx: Context<JSONValue>) async throws {}
        """

    private func manifest(_ source: String) -> Manifest {
        Analysis.run(["App.swift": source]).manifest
    }

    @Test func identicalManifestsHaveNoChanges() {
        let diff = ManifestDiff(old: manifest(Self.before), new: manifest(Self.before))
        #expect(diff.changes.isEmpty)
        #expect(!diff.hasBreakingChanges)
    }

    @Test func renamedAndRemovedStepsRemovedFunctionsAndChangedTriggersBreak() {
        let after = """
            @InngestFunction(id: "signup", trigger: .event("app/user.created"))
            func signup(_ ctx: Context<JSONValue>) async throws {
                try await ctx.step.run("create-user") { 1 }
            }
            @InngestFunction(id: "report", trigger: .cron("0 4 * * *"))
            func report(_ ctx: Context<JSONValue>) async throws {
                try await ctx.step.run("collect") { 1 }
            }
            """
        let diff = ManifestDiff(old: manifest(Self.before), new: manifest(after))
        #expect(
            diff.changes.map(\.description) == [
                "breaking: function \"signup\": step \"create-account\" was renamed to \"create-user\"; runs that recorded it will run it again",
                "breaking: function \"signup\": step \"send-welcome\" was removed; runs that recorded it lose its result",
                "breaking: function \"report\": trigger changed from cron \"0 3 * * *\" to cron \"0 4 * * *\"",
                "breaking: function \"legacy\": removed; its in-flight runs cannot continue",
            ])
        #expect(diff.hasBreakingChanges)
    }

    @Test func addedStepsAndFunctionsDoNotBreak() {
        let after =
            Self.before + """

                @InngestFunction(id: "fresh", trigger: .event("app/fresh"))
                func fresh(_ ctx: Context<JSONValue>) async throws {}
                """
        let withStep = after.replacingOccurrences(
            of: "try await ctx.step.run(\"send-welcome\") { 2 }",
            with: "try await ctx.step.run(\"send-welcome\") { 2 }\n    try await ctx.step.sleep(\"wait\", \"1d\")")
        let diff = ManifestDiff(old: manifest(Self.before), new: manifest(withStep))
        #expect(
            diff.changes.map(\.description) == [
                "note: function \"signup\": step \"wait\" added",
                "note: function \"fresh\": added",
            ])
        #expect(!diff.hasBreakingChanges)
    }

    @Test func changedStepKindBreaks() {
        let after = Self.before.replacingOccurrences(of: "try await ctx.step.run(\"collect\") { 1 }", with: "try await ctx.step.sleep(\"collect\", \"1m\")")
        let diff = ManifestDiff(old: manifest(Self.before), new: manifest(after))
        #expect(diff.breaking.map(\.message) == ["step \"collect\" changed from run to sleep"])
    }
}
