import Inngest
import InngestEngine

// snippet: signals
struct PostReview: Codable, Sendable { var approved: Bool }

@InngestFunction(id: "publish-post", trigger: .event("blog/post.submitted"))
func publishPost(_ ctx: Context<JSONValue>) async throws -> String {
    let postID = ctx.event.data["id"]?.stringValue ?? "unknown"
    let review = try await ctx.step.waitForSignal("wait-for-review", signal: "review-\(postID)", as: PostReview.self, timeout: "3d")
    guard let review, review.data.approved else { return "not published" }
    return "published after \(review.signal)"
}

// snippet: hide
func approve(on engine: Engine, client: InngestClient) async throws {
    // snippet: show
    // Elsewhere: the engine, a served app's client, another run's `step.sendSignal`, or `POST /v1/signals`.
    let runID = try await engine.sendSignal("review-42", data: PostReview(approved: true))  // nil: no run waits
    try await client.sendSignal("review-43", data: PostReview(approved: false))
    // snippet: hide
    _ = runID
}
// snippet: end
