import Foundation
import HTTPTypes
import Inngest
import InngestDashboard
import InngestEngine

/// The dashboard's server time per request over a large history: 100,000 runs of three
/// functions (one or two steps each; every 10th event of one function fails with a
/// `NonRetriableError`, so `status=failed` picks 1 run in 30) and one run of 1,000 steps.
/// Each page is requested through ``Dashboard/respond(to:)`` in this process (no HTTP), one
/// request at a time with the engine idle: wall time per request (median, p99) and the
/// process's CPU per request. Each line also gives the engine's query alone
/// (`Engine.runs(matching:)`, `Engine.run(id:)`), so the rest is rendering.
///
///     inngest-benchmarks dashboard
///
/// Targets: < 50 ms for a list page, < 200 ms for the 1,000-step run's page.
enum DashboardBenchmark {
    static let runs = 100_000
    static let batch = 5_000
    static let longSteps = 1_000
    static let listTarget = 50.0
    static let longRunTarget = 200.0
    static let origin = "http://localhost"

    static func run() async throws {
        let orders = InngestFunction(.init(id: "orders", trigger: .event("bench/order"))) { (ctx: Context<JSONValue>) -> Int in
            let n = Int(ctx.event.data["n"]?.integerValue ?? 0)
            let total = try await ctx.step.run("load") { n * 3 }
            return try await ctx.step.run("save") { total + 1 }
        }
        let charges = InngestFunction(.init(id: "charges", trigger: .event("bench/charge"))) { (ctx: Context<JSONValue>) -> Int in
            let n = Int(ctx.event.data["n"]?.integerValue ?? 0)
            return try await ctx.step.run("charge") { () throws -> Int in
                if n % 10 == 0 { throw NonRetriableError("card declined for \(n)") }
                return n
            }
        }
        let emails = InngestFunction(.init(id: "emails", trigger: .event("bench/email"))) { (ctx: Context<JSONValue>) -> String in
            let n = Int(ctx.event.data["n"]?.integerValue ?? 0)
            return try await ctx.step.run("send") { "sent \(n)" }
        }
        let long = InngestFunction(.init(id: "long", trigger: .event("bench/long"))) { (ctx: Context<JSONValue>) -> Int in
            var total = 0
            for index in 0..<longSteps {
                total += try await ctx.step.run("s\(index)") { index }
            }
            return total
        }
        let path = temporaryDatabasePath("dashboard")
        defer { try? FileManager.default.removeItem(atPath: URL(fileURLWithPath: path).deletingLastPathComponent().path) }
        let engine = try Engine(appID: "bench", databasePath: path, functions: [orders, charges, emails, long])
        try await engine.start()

        // The history: event n starts a run of orders, charges or emails in turn.
        let names = ["bench/order", "bench/charge", "bench/email"]
        let buildStart = ContinuousClock.now
        let buildCPU = processCPUSeconds()
        for start in stride(from: 0, to: runs, by: batch) {
            try await engine.send((start..<min(runs, start + batch)).map { n in AnyEvent(name: names[n % 3], data: ["n": .integer(Int64(n))]) })
            await engine.settle()
        }
        let buildSeconds = seconds(since: buildStart)
        let buildCPUSeconds = processCPUSeconds() - buildCPU
        let longStart = ContinuousClock.now
        let longEvent = try await engine.send([AnyEvent(name: "bench/long")])[0]
        await engine.settle()
        let longSeconds = seconds(since: longStart)
        guard let longRun = try await engine.runs(startedByEvent: longEvent).first else { throw BenchmarkFailure("the 1,000-step run was not started") }

        // The history is what it should be.
        let expectedFailed = (0..<runs).filter { $0 % 3 == 1 && $0 % 10 == 0 }.count
        let total = try await engine.runCount()
        let failed = try await engine.runCount(status: .failed)
        let completed = try await engine.runCount(status: .completed)
        let recordedSteps = try await engine.stepCount(ofRun: longRun.id)
        guard total == runs + 1, failed == expectedFailed, completed == runs + 1 - expectedFailed, recordedSteps == longSteps else {
            throw BenchmarkFailure(
                "history: \(total) runs, \(completed) completed, \(failed) failed (expected \(runs + 1), \(runs + 1 - expectedFailed), \(expectedFailed)); long run \(recordedSteps) steps")
        }
        let fileMB = Double(fileSize(path) + fileSize(path + "-wal")) / 1_048_576
        print(
            """
            dashboard: \(runs) runs (3 functions, \(completed - 1) completed, \(failed) failed) built in \(format(buildSeconds)) s \
            (\(format(Double(runs) / buildSeconds, 0)) runs/s, \(format(buildCPUSeconds)) s CPU), the \(Self.longSteps)-step run in \
            \(format(longSeconds, 2)) s; database + WAL \(format(fileMB)) MB
            """)

        let dashboard = Dashboard(engine: engine)
        // A deep page: 100 pages in, through the API's cursors.
        var cursor: String?
        for _ in 0..<100 {
            let query = cursor.map { "?cursor=\($0)" } ?? ""
            let body = try await get(dashboard, "/v1/runs\(query)")
            guard let object = try JSONSerialization.jsonObject(with: Data(body)) as? [String: Any],
                let metadata = object["metadata"] as? [String: Any], let next = metadata["next_cursor"] as? String
            else { throw BenchmarkFailure("/v1/runs\(query) gave no next_cursor") }
            cursor = next
        }
        let deepCursor = cursor!

        let chargesKey = engine.functionKey(for: "bench-charges") ?? "charges"
        let listings: [(name: String, path: String, rows: Int, check: String?, filter: RunFilter, cursor: String?)] = [
            ("runs list, first page (HTML)", "/runs", 50, nil, RunFilter(), nil),
            ("runs list, status=failed (HTML)", "/runs?status=failed", 50, "s-failed", RunFilter(statuses: [.failed]), nil),
            ("runs list, function_id=bench-charges (HTML)", "/runs?function_id=bench-charges", 50, "/functions/bench-charges", RunFilter(functionIDs: [chargesKey]), nil),
            ("runs list, event=bench/charge (HTML)", "/runs?event=bench/charge", 50, "/functions/bench-charges", RunFilter(eventName: "bench/charge"), nil),
            ("runs list, app_id=bench, status=completed (HTML)", "/runs?app_id=bench&status=completed", 50, "s-completed", RunFilter(statuses: [.completed]), nil),
            ("runs list, app_id=bench (HTML)", "/runs?app_id=bench", 50, nil, RunFilter(functionIDs: Set(engine.functionListings.map(\.key))), nil),
            ("runs list, page 101 by cursor (HTML)", "/runs?cursor=\(deepCursor)", 50, nil, RunFilter(), deepCursor),
            ("runs API, first page (JSON)", "/v1/runs", 50, nil, RunFilter(), nil),
        ]
        var met = 0
        var measured = 0
        for listing in listings {
            // What the page shows: 50 rows, each of the filter's kind.
            let page = String(decoding: try await get(dashboard, listing.path), as: UTF8.self)
            let rows = listing.path.hasPrefix("/v1/") ? page.components(separatedBy: "\"run_id\"").count - 1 : page.components(separatedBy: "<tr data-run=").count - 1
            if rows != listing.rows { throw BenchmarkFailure("\(listing.path) shows \(rows) runs, not \(listing.rows)") }
            if let check = listing.check, page.components(separatedBy: check).count - 1 < listing.rows {
                throw BenchmarkFailure("\(listing.path): not every row has \(check)")
            }
            let result = try await measure(dashboard, listing.path, warmUp: 10, count: 200)
            let query = try await measureQuery(warmUp: 10, count: 200) {
                _ = try await engine.runs(matching: listing.filter, after: listing.cursor, limit: 50)
            }
            if report(listing.name, result, query: query, target: listTarget) { met += 1 }
            measured += 1
        }

        // The 1,000-step run: its page and its JSON.
        for (name, path) in [("run page, \(Self.longSteps) steps (HTML)", "/runs/\(longRun.id)"), ("run API, \(Self.longSteps) steps (JSON)", "/v1/runs/\(longRun.id)")] {
            let body = try await get(dashboard, path)
            let steps: Int
            if path.hasPrefix("/v1/") {
                let object = try JSONSerialization.jsonObject(with: Data(body)) as? [String: Any]
                steps = ((object?["data"] as? [String: Any])?["steps"] as? [Any])?.count ?? 0
            } else {
                steps = String(decoding: body, as: UTF8.self).components(separatedBy: "data-step-detail=").count - 1
            }
            if steps != Self.longSteps { throw BenchmarkFailure("\(path) shows \(steps) steps, not \(Self.longSteps)") }
            let result = try await measure(dashboard, path, warmUp: 3, count: 50)
            let query = try await measureQuery(warmUp: 3, count: 50) { _ = try await engine.run(id: longRun.id) }
            if report(name, result, query: query, target: longRunTarget) { met += 1 }
            measured += 1
        }
        print("dashboard: \(met) of \(measured) measurements within their target (p99)")
        await engine.shutdown()
    }

    struct Result {
        var median = 0.0
        var p99 = 0.0
        var cpu = 0.0
        var bytes = 0
    }

    /// `count` requests of `path` one after another, after `warmUp` unmeasured ones.
    static func measure(_ dashboard: Dashboard, _ path: String, warmUp: Int, count: Int) async throws -> Result {
        var bytes = 0
        for _ in 0..<warmUp { bytes = try await get(dashboard, path).count }
        var times: [Double] = []
        times.reserveCapacity(count)
        let cpuStart = processCPUSeconds()
        for _ in 0..<count {
            let start = ContinuousClock.now
            bytes = try await get(dashboard, path).count
            times.append(seconds(since: start) * 1_000)
        }
        let cpu = (processCPUSeconds() - cpuStart) * 1_000 / Double(count)
        times.sort()
        return Result(median: percentile(times, 0.5), p99: percentile(times, 0.99), cpu: cpu, bytes: bytes)
    }

    static func measureQuery(warmUp: Int, count: Int, _ query: () async throws -> Void) async throws -> Result {
        for _ in 0..<warmUp { try await query() }
        var times: [Double] = []
        let cpuStart = processCPUSeconds()
        for _ in 0..<count {
            let start = ContinuousClock.now
            try await query()
            times.append(seconds(since: start) * 1_000)
        }
        let cpu = (processCPUSeconds() - cpuStart) * 1_000 / Double(count)
        times.sort()
        return Result(median: percentile(times, 0.5), p99: percentile(times, 0.99), cpu: cpu)
    }

    /// Prints a measurement's line; whether its p99 is within the target.
    static func report(_ name: String, _ result: Result, query: Result, target: Double) -> Bool {
        let verdict = result.p99 < target ? "met" : result.median < target ? "MISSED at p99 (met at the median)" : "MISSED"
        print(
            """
            dashboard: \(name): median \(format(result.median, 2)) ms, p99 \(format(result.p99, 2)) ms, \
            \(format(result.cpu, 2)) ms CPU/request, \(format(Double(result.bytes) / 1_024, 1)) KB; \
            engine query alone median \(format(query.median, 2)) ms, p99 \(format(query.p99, 2)) ms; \
            target < \(format(target, 0)) ms: \(verdict)
            """)
        return result.p99 < target
    }

    /// The body of a `GET` the dashboard answers with 200 and a non-empty body; throws otherwise.
    static func get(_ dashboard: Dashboard, _ path: String) async throws -> [UInt8] {
        guard let answer = await dashboard.respond(to: HTTPRequestMessage(method: .get, url: origin + path)) else {
            throw BenchmarkFailure("GET \(path): the dashboard did not answer")
        }
        guard case .complete(let response) = answer else { throw BenchmarkFailure("GET \(path): an event stream, not a page") }
        guard response.status.code == 200, !response.body.isEmpty else {
            throw BenchmarkFailure("GET \(path): \(response.status.code), \(response.body.count) bytes: \(String(decoding: response.body.prefix(300), as: UTF8.self))")
        }
        return response.body
    }

    static func fileSize(_ path: String) -> Int {
        ((try? FileManager.default.attributesOfItem(atPath: path))?[.size] as? NSNumber)?.intValue ?? 0
    }
}
