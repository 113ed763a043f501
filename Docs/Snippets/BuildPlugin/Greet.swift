// snippet: greet
import Inngest

struct Greeting: Codable, Sendable {
    var name: String
}

@InngestFunction(id: "greet", trigger: .event("app/greet"))
func greet(_ ctx: Context<Greeting>) async throws -> String {
    let message = try await ctx.step.run("compose") { "Hello, \(ctx.event.data.name)!" }
    try await ctx.step.sleep("wait-a-bit", "1s")
    return message
}

@InngestFunction(id: "welcome", trigger: .event("app/user.created"))
func welcome(_ ctx: Context<Greeting>) async throws -> String {
    // Typed: `data` must be a Greeting, the result is a String.
    try await ctx.step.invoke("say-hello", function: Functions.greet, data: Greeting(name: ctx.event.data.name))
}

// A cron-triggered function's context is Context<ScheduledTimer>: the schedule and its time.
@InngestFunction(id: "nightly-digest", trigger: .cron("TZ=Europe/Paris 0 3 * * *"))
func nightlyDigest(_ ctx: Context<ScheduledTimer>) async throws {
    try await ctx.step.run("send-digest") { "digest of \(ctx.event.data.cron)" }
}
// snippet: end
