// snippet: hello
import Inngest
import InngestEngine

@main
struct Hello {
    static func main() async throws {
        print("functions:", Functions.all.map(\.id))                       // ["greet", "welcome", "nightly-digest"]
        let engine = try Engine(appID: Functions.appID, databasePath: ".inngest/hello.sqlite", functions: Functions.all)
        try await engine.start()
        let eventID = try await engine.send(Event(name: "app/greet", data: Greeting(name: "Ada")))

        // The run sleeps for a second: read its record until it ends.
        guard var run = try await engine.runs(startedByEvent: eventID).first else { return }
        while !run.status.isFinal {
            try await Task.sleep(for: .milliseconds(200))
            run = try await engine.run(id: run.id)?.run ?? run
        }
        print(run.functionID, run.status, run.output ?? .null)            // greet completed "Hello, Ada!"
        for step in try await engine.run(id: run.id)?.steps ?? [] {
            print(" ", step.userID, step.kind, step.status, step.attempts)  // compose run completed 1, then wait-a-bit
        }
        await engine.shutdown()
    }
}
// snippet: end
