import Foundation
import Inngest
import InngestEngine

struct UserCreated: EventPayload {
    static let eventName = "app/user.created"
    var userId: String
    var email: String
}

struct PostCreated: EventPayload {
    static let eventName = "app/post.created"
    var userId: String
    var postId: String
}

/// Inngest's `waitForEvent` example: welcome a new user, wait up to a day for their first
/// post, and send a reminder if none comes. Two users play both branches: one posts, the
/// other does not, and the demo lets the day pass without waiting for it.
struct ActivationEmail: Scenario {
    let title = "Activation email"
    let summary = "waitForEvent matched on data.userId with a 24h timeout: one user posts, the other gets a reminder."

    static let waitTimeout: TimeInterval = 24 * 3_600

    var functions: [InngestFunction] {
        [
            InngestFunction(FunctionConfiguration(id: "activation-email", trigger: .event(UserCreated.self))) {
                (ctx: Context<UserCreated>) -> String in
                let user = ctx.event.data
                try await ctx.step.run("send-welcome-email") {
                    try await SimulatedWork.pause(milliseconds: 15)
                    return "welcome email sent to \(user.email)"
                }
                // Only a post by this run's user counts: `match` compares data.userId of both events.
                let post = try await ctx.step.waitForEvent(
                    "wait-for-first-post", event: PostCreated.self,
                    timeout: "24h", match: "data.userId")
                if let post {
                    return "activated: \(user.userId) wrote \(post.data.postId)"
                }
                try await ctx.step.run("send-reminder-email") {
                    try await SimulatedWork.pause(milliseconds: 15)
                    return "reminder sent to \(user.email)"
                }
                return "reminded: \(user.userId) has not posted yet"
            }
        ]
    }

    func play(in session: DemoSession) async throws {
        let poster = UserCreated(userId: "ada-\(session.invocationTag)", email: "ada@example.com")
        let lurker = UserCreated(userId: "grace-\(session.invocationTag)", email: "grace@example.com")
        let posterEvent = try await session.send(try Event(poster).erased())
        let lurkerEvent = try await session.send(try Event(lurker).erased())
        try await session.settle()

        var bothParked = true
        for eventID in [posterEvent, lurkerEvent] {
            let run = try await session.run(of: "activation-email", startedBy: eventID)
            bothParked = bothParked && run.run.status == .waiting && run.steps.last?.kind == .waitForEvent
        }
        session.say(
            bothParked
                ? "   both runs sent their welcome email and are parked in waitForEvent"
                : "   the runs did not both park in waitForEvent")

        try await session.send(try Event(PostCreated(userId: poster.userId, postId: "post-1")).erased())
        try await session.settle()
        try await session.compressTime(by: Self.waitTimeout, because: "\(lurker.userId) never posts; their wait times out")

        let posterRun = try await session.run(of: "activation-email", startedBy: posterEvent)
        let lurkerRun = try await session.run(of: "activation-email", startedBy: lurkerEvent)
        session.show(posterRun)
        session.show(lurkerRun)
        Console.line()
        session.expect(bothParked, "both runs waited for a post instead of finishing")
        session.expect(
            posterRun.run.status == .completed
                && posterRun.steps.map(\.userID) == ["send-welcome-email", "wait-for-first-post"]
                && posterRun.steps.last?.output?["data"]?["userId"]?.stringValue == poster.userId,
            "\(poster.userId)'s post matched their wait: no reminder")
        // A wait that timed out records `null` as its result.
        let lurkerWaitTimedOut = lurkerRun.steps.first { $0.userID == "wait-for-first-post" }.map { $0.output?.isNull ?? true } == true
        session.expect(
            lurkerRun.run.status == .completed && lurkerWaitTimedOut
                && lurkerRun.steps.map(\.userID) == ["send-welcome-email", "wait-for-first-post", "send-reminder-email"],
            "\(lurker.userId)'s wait timed out after 24h and the reminder went out")
    }
}
