import Inngest

/// One of the scenarios of Inngest's docs: the functions it registers and how it plays them.
protocol Scenario: Sendable {
    var title: String { get }
    /// One sentence on what the scenario shows.
    var summary: String { get }
    /// Registered with the engine before any scenario plays (an engine's functions are fixed).
    var functions: [InngestFunction] { get }
    /// Sends the scenario's events, lets time pass where needed, prints the timelines of the
    /// runs it caused and checks their outcomes.
    func play(in session: DemoSession) async throws
}
