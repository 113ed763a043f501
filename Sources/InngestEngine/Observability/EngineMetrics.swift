import CoreMetrics
import Foundation
import Inngest
import Synchronization

/// The engine's metrics, through swift-metrics, named in the style of OpenTelemetry's semantic
/// conventions (`inngest.` namespace, dotted, attributes as dimensions). The README's
/// "Running in production" section lists them.
///
/// Recorded after the commit that made them true (a rolled-back write counts nothing).
/// Metrics with a function dimension are made once per function and kept.
final class EngineMetrics: Sendable {
    static let functionKey = "inngest.function.id"
    static let statusKey = "inngest.run.status"
    static let stepKindKey = "inngest.step.kind"
    static let stepOutcomeKey = "inngest.step.outcome"

    private let factory: any MetricsFactory
    let eventsReceived: Counter
    let transactions: Counter
    let writesPerTransaction: Recorder
    let firstStepDelay: CoreMetrics.Timer
    let runsInMemory: Gauge
    let runsRunning: Gauge
    let runsParked: Gauge
    let timersDue: Gauge
    private let byFunction = Mutex<[String: FunctionMetrics]>([:])
    private let bySteps = Mutex<[StepKey: StepMetrics]>([:])

    struct FunctionMetrics: Sendable {
        let started: Counter
        let ended: [RunStatus: Counter]
        let duration: [RunStatus: CoreMetrics.Timer]
    }

    struct StepKey: Hashable, Sendable {
        let kind: StepKind
        let outcome: StepOutcome
    }

    struct StepMetrics: Sendable {
        let count: Counter
        let duration: CoreMetrics.Timer
    }

    init(factory: any MetricsFactory) {
        self.factory = factory
        eventsReceived = Counter(label: "inngest.events.received", factory: factory)
        transactions = Counter(label: "inngest.store.transactions", factory: factory)
        writesPerTransaction = Recorder(label: "inngest.store.transaction.writes", aggregate: true, factory: factory)
        firstStepDelay = CoreMetrics.Timer(label: "inngest.run.first_step.delay", factory: factory)
        runsInMemory = Gauge(label: "inngest.runs.in_memory", factory: factory)
        runsRunning = Gauge(label: "inngest.runs.running", factory: factory)
        runsParked = Gauge(label: "inngest.runs.parked", factory: factory)
        timersDue = Gauge(label: "inngest.timers.due", factory: factory)
    }

    private func function(_ id: String) -> FunctionMetrics {
        byFunction.withLock { cache in
            if let metrics = cache[id] { return metrics }
            let dimension = [(Self.functionKey, id)]
            let ended = [RunStatus.completed, .failed, .cancelled, .skipped]
            let metrics = FunctionMetrics(
                started: Counter(label: "inngest.runs.started", dimensions: dimension, factory: factory),
                ended: Dictionary(
                    uniqueKeysWithValues: ended.map {
                        ($0, Counter(label: "inngest.runs.ended", dimensions: dimension + [(Self.statusKey, $0.rawValue)], factory: factory))
                    }),
                duration: Dictionary(
                    uniqueKeysWithValues: ended.map {
                        ($0, CoreMetrics.Timer(label: "inngest.run.duration", dimensions: dimension + [(Self.statusKey, $0.rawValue)], factory: factory))
                    }))
            cache[id] = metrics
            return metrics
        }
    }

    private func step(_ kind: StepKind, _ outcome: StepOutcome) -> StepMetrics {
        let key = StepKey(kind: kind, outcome: outcome)
        return bySteps.withLock { cache in
            if let metrics = cache[key] { return metrics }
            let dimensions = [(Self.stepKindKey, kind.rawValue), (Self.stepOutcomeKey, outcome.rawValue)]
            let metrics = StepMetrics(
                count: Counter(label: "inngest.steps", dimensions: dimensions, factory: factory),
                duration: CoreMetrics.Timer(label: "inngest.step.duration", dimensions: dimensions, factory: factory))
            cache[key] = metrics
            return metrics
        }
    }

    /// How a step attempt ended.
    enum StepOutcome: String, Sendable {
        case completed, failed
        /// Failed and will be retried.
        case retrying
        /// Parked until its timer, event or invoked run.
        case parked
    }

    func recordStep(_ kind: StepKind, _ outcome: StepOutcome, duration: TimeInterval? = nil) {
        let metrics = step(kind, outcome)
        metrics.count.increment()
        if let duration { metrics.duration.recordNanoseconds(Self.nanoseconds(duration)) }
    }

    func recordCommitted(_ effects: Effects) {
        for functionID in effects.runsStarted { function(functionID).started.increment() }
        for ended in effects.runsEnded {
            let metrics = function(ended.functionID)
            metrics.ended[ended.status]?.increment()
            if let duration = ended.duration { metrics.duration[ended.status]?.recordNanoseconds(Self.nanoseconds(duration)) }
        }
    }

    func recordEventsReceived(_ count: Int) {
        eventsReceived.increment(by: Int64(count))
    }

    func recordGauges(inMemory: Int, running: Int, parked: Int, timersDue: Int) {
        runsInMemory.record(inMemory)
        runsRunning.record(running)
        runsParked.record(parked)
        self.timersDue.record(timersDue)
    }

    func recordTransaction(writes: Int) {
        transactions.increment()
        writesPerTransaction.record(writes)
    }

    func recordFirstStep(ofRun runID: String, at now: Date) {
        guard let created = ULID.milliseconds(of: runID) else { return }
        firstStepDelay.recordNanoseconds(Self.nanoseconds(now.timeIntervalSince(Date(milliseconds: created))))
    }

    /// Seconds as nanoseconds, clamped to what an `Int64` holds (a clock can move backwards).
    static func nanoseconds(_ seconds: TimeInterval) -> Int64 {
        guard seconds.isFinite, seconds > 0 else { return 0 }
        return seconds >= 9.2e9 ? .max : Int64(seconds * 1e9)
    }
}
