import Foundation
import Inngest
import InngestEngine

struct WeeklyReportRequested: EventPayload {
    static let eventName = "app/weekly-report.requested"
    var week: String
}

struct WeeklyEmailRequested: EventPayload {
    static let eventName = "app/weekly-email-activity.send"
    var userId: String
    var email: String
}

struct WeeklyActivity: Codable, Sendable {
    var posts: Int
    var comments: Int
}

struct FanOutResult: Codable, Sendable {
    var count: Int
}

/// Inngest's fan-out example: one function loads the users and sends one event per user
/// with `step.sendEvent`; each event starts a run of the email function, which retries on
/// its own. (Inngest's docs start the loader with a weekly cron; here an event starts it,
/// so the demo does not depend on the day of the week.)
struct FanOut: Scenario {
    let title = "Fan-out with sendEvent"
    let summary = "One run sends an event per user; each event starts its own run of another function."

    static let users: [WeeklyEmailRequested] = [
        WeeklyEmailRequested(userId: "u-1", email: "ada@example.com"),
        WeeklyEmailRequested(userId: "u-2", email: "grace@example.com"),
        WeeklyEmailRequested(userId: "u-3", email: "linus@example.com"),
    ]

    /// What `load-activity` finds for each user; a stand-in for the app's database.
    static let activityByUser: [String: WeeklyActivity] = [
        "u-1": WeeklyActivity(posts: 4, comments: 12),
        "u-2": WeeklyActivity(posts: 1, comments: 3),
        "u-3": WeeklyActivity(posts: 0, comments: 7),
    ]

    var functions: [InngestFunction] {
        let loader = InngestFunction(FunctionConfiguration(id: "weekly-activity-load", trigger: .event(WeeklyReportRequested.self))) {
            (ctx: Context<WeeklyReportRequested>) -> FanOutResult in
            let users = try await ctx.step.run("load-users") {
                try await SimulatedWork.pause(milliseconds: 10)
                return Self.users
            }
            try await ctx.step.sendEvent("fan-out-weekly-emails", users.map { Event($0) })
            return FanOutResult(count: users.count)
        }
        let sender = InngestFunction(FunctionConfiguration(id: "weekly-activity-send-email", trigger: .event(WeeklyEmailRequested.self))) {
            (ctx: Context<WeeklyEmailRequested>) -> String in
            let user = ctx.event.data
            let activity = try await ctx.step.run("load-activity") {
                try await SimulatedWork.pause(milliseconds: 10)
                return Self.activityByUser[user.userId] ?? WeeklyActivity(posts: 0, comments: 0)
            }
            return try await ctx.step.run("email-user") {
                try await SimulatedWork.pause(milliseconds: 15)
                return "weekly summary (\(Format.count(activity.posts, "post")), \(Format.count(activity.comments, "comment"))) sent to \(user.email)"
            }
        }
        return [loader, sender]
    }

    func play(in session: DemoSession) async throws {
        let eventID = try await session.send(try Event(WeeklyReportRequested(week: "2026-W01")).erased())
        try await session.settle()
        let loader = try await session.run(of: "weekly-activity-load", startedBy: eventID)
        session.show(loader)

        // The sendEvent step's output is the ids of the events it sent; each started one run.
        let sentIDs = loader.steps.first { $0.kind == .sendEvent }?.output.map(Timeline.sentEventIDs(in:)) ?? []
        var emailRuns: [RunDetail] = []
        for sentID in sentIDs {
            let run = try await session.run(of: "weekly-activity-send-email", startedBy: sentID)
            session.show(run, note: "started by an event of weekly-activity-load")
            emailRuns.append(run)
        }
        Console.line()
        session.expect(
            loader.run.status == .completed && loader.run.output?["count"]?.integerValue == Int64(Self.users.count),
            "weekly-activity-load completed and sent \(Format.count(Self.users.count, "event"))")
        session.expect(
            emailRuns.count == Self.users.count && emailRuns.allSatisfy { $0.run.status == .completed },
            "each event started one weekly-activity-send-email run, and all \(Self.users.count) completed")
    }
}
