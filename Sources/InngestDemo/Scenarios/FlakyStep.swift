import Foundation
import Inngest
import InngestEngine
import Synchronization

struct InventorySyncRequested: EventPayload {
    static let eventName = "inventory/sync.requested"
    var sku: String
}

struct SupplierStock: Codable, Sendable {
    var sku: String
    var available: Int
}

/// The supplier's API answered 503: a transient failure worth retrying.
struct SupplierUnavailable: Error, CustomStringConvertible {
    var description: String { "supplier API answered 503 Service Unavailable" }
}

/// A supplier API that fails the first two calls of each run, then answers.
final class FlakySupplierAPI: Sendable {
    static let failuresBeforeSuccess = 2
    /// Calls per run id, so runs of earlier invocations (resumed from the database) or of
    /// other events each see their own two failures.
    private let callsByRun = Mutex<[String: Int]>([:])

    func stock(of sku: String, runID: String) throws -> SupplierStock {
        let calls = callsByRun.withLock { calls in
            calls[runID, default: 0] += 1
            return calls[runID, default: 0]
        }
        if calls <= Self.failuresBeforeSuccess { throw SupplierUnavailable() }
        return SupplierStock(sku: sku, available: 42)
    }
}

/// A step that fails twice, then succeeds: the engine retries it with exponential backoff
/// (with jitter), and keeps every completed step's result, so only the failing step runs again.
struct FlakyStep: Scenario {
    let title = "A step that fails twice, then succeeds"
    let summary = "Retries with exponential backoff; the demo jumps the clock past each backoff."

    static let retries = 3
    let supplier = FlakySupplierAPI()

    var functions: [InngestFunction] {
        let supplier = self.supplier
        return [
            InngestFunction(FunctionConfiguration(id: "sync-inventory", trigger: .event(InventorySyncRequested.self), retries: Self.retries)) {
                (ctx: Context<InventorySyncRequested>) -> String in
                let sku = ctx.event.data.sku
                let stock = try await ctx.step.run("fetch-supplier-stock") {
                    try await SimulatedWork.pause(milliseconds: 10)
                    return try supplier.stock(of: sku, runID: ctx.runID)
                }
                try await ctx.step.run("update-inventory") {
                    try await SimulatedWork.pause(milliseconds: 10)
                    return "\(stock.sku): \(stock.available) in stock"
                }
                return "\(stock.sku) synced: \(stock.available) available"
            }
        ]
    }

    func play(in session: DemoSession) async throws {
        let eventID = try await session.send(try Event(InventorySyncRequested(sku: "SKU-42")).erased())
        try await session.settle()

        var detail = try await session.run(of: "sync-inventory", startedBy: eventID)
        var failedAttempts: [Int] = []
        // One backoff per pass; the attempt count bounds the loop should the step never settle.
        while !detail.run.status.isFinal, failedAttempts.count <= Self.retries,
            let step = detail.steps.first(where: { $0.status == .retrying })
        {
            failedAttempts.append(step.attempts)
            session.say("   attempt \(step.attempts) of \(step.userID) failed: \(step.error?.description ?? "unknown error")")
            guard try await session.skipToNextTimer(because: "backoff before attempt \(step.attempts + 1)") != nil else { break }
            detail = try await session.detail(of: detail.run.id)
        }
        if let fetch = detail.steps.first(where: { $0.userID == "fetch-supplier-stock" }), fetch.status == .completed {
            session.say("   attempt \(fetch.attempts) of \(fetch.userID) succeeded")
        }
        session.show(detail)
        Console.line()
        session.expect(failedAttempts == [1, 2], "the first two attempts failed and were retried after a backoff")
        session.expect(
            detail.run.status == .completed && detail.steps.first?.attempts == 3,
            "the third attempt succeeded and the run completed")
    }
}
