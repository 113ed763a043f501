import Foundation
import GRDB
import Inngest
import Synchronization
import Testing

@testable import InngestEngine

/// Which step bodies ran, across tasks.
final class BodyLog: Sendable {
    private let entries = Mutex<[String]>([])
    func append(_ entry: String) { entries.withLock { $0.append(entry) } }
    var all: [String] { entries.withLock { $0 } }
}

@Suite struct EngineParallelTests {
    static func parallel(_ bodies: BodyLog) -> InngestFunction {
        InngestFunction(.init(id: "parallel", trigger: .event("go"))) { (ctx: Context<JSONValue>) -> [Int] in
            async let a = ctx.step.run("a") {
                bodies.append("a")
                return 1
            }
            async let b: Int = {
                try await ctx.step.sleep("b-nap", "1h")
                return try await ctx.step.run("b") {
                    bodies.append("b")
                    return 2
                }
            }()
            let items = try await withThrowingTaskGroup(of: Int.self) { group in
                for i in 0..<3 {
                    group.addTask {
                        try await ctx.step.run("item") {
                            bodies.append("item")
                            return 10 + i
                        }
                    }
                }
                return try await group.reduce(into: [Int]()) { $0.append($1) }.sorted()
            }
            return try await [a, b] + items
        }
    }

    @Test func parallelBranchesRunLiveAndResumeAfterASleep() async throws {
        let bodies = BodyLog()
        let harness = try await Harness([Self.parallel(bodies)])
        try await harness.engine.send([AnyEvent(name: "go")])
        await harness.advance(by: .seconds(3_600))
        let detail = try await harness.onlyRun(of: "parallel")
        #expect(detail.run.output == [1, 2, 10, 11, 12])
        #expect(bodies.all.sorted() == ["a", "b", "item", "item", "item"])
        #expect(Set(detail.steps.map(\.userID)) == ["a", "b-nap", "b", "item"])
        #expect(detail.steps.filter { $0.userID == "item" }.map(\.index).sorted() == [0, 1, 2])
    }

    @Test func parallelRunsEvictedWhileParkedResumeByReplayWithTheSameIds() async throws {
        let bodies = BodyLog()
        let harness = try await Harness([Self.parallel(bodies)], maxParkedRuns: 1)
        try await harness.engine.send([AnyEvent(name: "go"), AnyEvent(name: "go"), AnyEvent(name: "go")])
        await harness.advance(by: .seconds(3_600))
        let runs = try await harness.engine.runs(function: "parallel")
        #expect(runs.map(\.status) == [RunStatus.completed, .completed, .completed])
        let expected: JSONValue = [1, 2, 10, 11, 12]
        #expect(runs.allSatisfy { $0.output == expected })
        // Each body ran once per run: replays found every recorded step under the same id.
        #expect(bodies.all.count == 15)
    }

    @Test func arrivingEventsFindWaitersThroughTheIndex() async throws {
        let harness = try await Harness([])
        let plan = try await harness.engine.database.read { database in
            try Row.fetchAll(
                database,
                sql: """
                    EXPLAIN QUERY PLAN SELECT * FROM waits WHERE event_name = ? AND match_field = ? AND match_key = ? AND expires_at > ?
                    """, arguments: ["a", "data.id", #""x""#, 0]
            ).map { $0["detail"] as String }
        }
        #expect(plan.contains { $0.contains("USING INDEX waits_by_key (event_name=? AND match_field=? AND match_key=?)") })
    }
}
