/// The kinds of step, as named in manifests and inspection output.
public enum StepKind: String, Sendable, Hashable, Codable, CaseIterable {
    case run
    case sendEvent
    case sleep
    case waitForEvent
    case invoke
    case waitForSignal
    case sendSignal
}
