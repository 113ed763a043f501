/// An Inngest feature whose ops this engine does not run, named by the SDK call that sends them.
///
/// Nothing in an app's sync shows that a function uses one (the register payload lists a
/// function's triggers and options, not its steps), so a run that reaches one fails then,
/// without retries, naming the function, the step and the feature.
struct UnsupportedFeature: Sendable, Hashable, CustomStringConvertible {
    /// The SDK call, e.g. `step.fetch`.
    let call: String
    /// The op as the app sent it.
    let opName: String
    /// What to do instead.
    let instead: String

    /// The feature of an op name the engine knows but does not run; `nil` for any other name.
    init?(opName: String) {
        let known: (call: String, instead: String)
        switch opName.lowercased() {
        case "aigateway": known = ("step.ai.infer", "call the model inside a step.run (step.ai.wrap)")
        case "gateway": known = ("step.fetch", "make the request inside a step.run")
        case "deferadd", "deferabort": known = ("defer", "send an event from a step to start the other function")
        case "syncruncomplete": known = ("a durable endpoint", "serve the function with the serve handler")
        default: return nil
        }
        self.opName = opName
        self.call = known.call
        self.instead = known.instead
    }

    var description: String {
        "\(call) (opcode \(opName)) is not supported by inngest dev or the embedded engine; \(instead), or run the function on the Inngest server"
    }
}
