/// The step tools of `Step`, by the method name the scanner recognises.
public enum StepKind: String, Codable, Hashable, Sendable, CaseIterable {
    case run, sleep, sleepUntil, waitForEvent, invoke, sendEvent
}
