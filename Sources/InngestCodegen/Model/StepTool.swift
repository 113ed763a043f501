/// The step tools of `Step`, by the method name the scanner recognises.
package enum StepTool: String, Codable, Hashable, Sendable, CaseIterable {
    case run, sleep, sleepUntil, waitForEvent, invoke, sendEvent, waitForSignal, sendSignal
}
