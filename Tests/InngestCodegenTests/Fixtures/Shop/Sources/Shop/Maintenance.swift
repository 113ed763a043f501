import Inngest

public enum Maintenance {
    @InngestFunction(id: "nightly-cleanup", name: "Nightly cleanup", trigger: .cron("TZ=Europe/Paris 0 3 * * *", jitter: "5m"),
                     rateLimit: RateLimit(limit: 1, period: "1h", key: "event.data.shard"), singleton: .init(mode: .skip))
    public static func cleanup(context: Context<JSONValue>) async throws {
        let swept: Int = try await context.step.run("sweep") { 3 }
        if swept > 2 {
            try await context.step.sendEvent("report", Event(name: "shop/cleanup.done", data: ["swept": .integer(Int64(swept))]))
        } else {
            try await context.step.sendEvent("report", Event(name: "shop/cleanup.idle", data: [:]))
        }
        _ = try await context.step.waitForEvent("ack", event: "shop/product.deleted", timeout: .hours(2))
    }
}
