/// How a served function runs consecutive steps in one request when the server allows it.
///
/// Without checkpointing, a served function answers each new step in its own request and
/// replays from the top on the next, so a run of n steps costs n requests and O(n²) replay.
/// With it, the serve handler runs the steps one after another in the same request and
/// reports each to the server's checkpoint API (`POST /v1/checkpoint/{runId}/async`) before
/// the function continues, as the TypeScript SDK does. A server that does not checkpoint
/// sends no `ctx.fn_id`, and the handler answers one step per request as before.
///
/// ```swift
/// var configuration = InngestConfiguration(appID: "shop")
/// configuration.checkpointing = CheckpointingOptions(bufferedSteps: 10, maxRuntime: .seconds(25))
/// ```
public struct CheckpointingOptions: Sendable, Hashable {
    /// Whether the handler checkpoints when the server offers it.
    public var isEnabled: Bool
    /// Steps buffered before one checkpoint request. `1` checkpoints after every step: a step's
    /// result is stored by the server before the function goes on. A larger number saves
    /// requests; steps still in the buffer run again if the process dies before it is sent.
    public var bufferedSteps: Int
    /// How long a request may keep running steps; then the next step is handed back to the
    /// server, which calls again. Keep it under the platform's request timeout. `nil` for no limit.
    public var maxRuntime: Duration?
    /// The longest a finished step waits in the buffer: a step that ends later than this after
    /// the last checkpoint sends the buffer at once. `nil` waits for ``bufferedSteps``.
    public var maxInterval: Duration?

    /// Checkpointing on, as the TypeScript SDK's defaults: every step, at most 10 seconds per request.
    ///
    /// - Parameters:
    ///   - isEnabled: whether to checkpoint when the server offers it.
    ///   - bufferedSteps: steps per checkpoint request; values below 1 count as 1.
    ///   - maxRuntime: the time a request may keep running steps; `nil` for no limit.
    ///   - maxInterval: the longest a finished step waits in the buffer; `nil` for no limit.
    public init(isEnabled: Bool = true, bufferedSteps: Int = 1, maxRuntime: Duration? = .seconds(10), maxInterval: Duration? = nil) {
        self.isEnabled = isEnabled
        self.bufferedSteps = max(1, bufferedSteps)
        self.maxRuntime = maxRuntime
        self.maxInterval = maxInterval
    }

    /// Checkpointing off: one step per request, whatever the server offers.
    public static let disabled = CheckpointingOptions(isEnabled: false)
}
