import Inngest

struct Greeting: Codable, Sendable {
    var name: String
}

@InngestFunction(id: "hello", trigger: .event("app/hello"))
func hello(_ ctx: Context<Greeting>) -> String {
    "hello \(ctx.event.data.name)"
}
