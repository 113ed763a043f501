import Foundation
import Logging
import Synchronization
import Testing

@testable import Inngest

/// A minimal live driver, as the embedded engine will have: it runs each new step at once
/// and hands the result back, so the handler continues without a replay.
final class RunEverythingDriver: StepDriver {
    let resolved = Mutex<[String]>([])

    func resolve(_ step: PendingStep, in execution: StepExecution) async throws -> StepMemo {
        resolved.withLock { $0.append(step.identity.preHashID) }
        switch step.operation {
        case .run(let run):
            switch await run.body(0) {
            case .success(let value): return .data(value)
            case .failure(let error, _): return .error(error)
            }
        case .sleep, .waitForEvent, .waitForSignal: return .value(.null)
        case .invoke: return .data(27)
        }
    }
}

/// Collects log lines for assertions.
final class LineCollector: Sendable {
    let lines = Mutex<[String]>([])

    func logger() -> Logger {
        Logger(label: "test") { _ in CollectingHandler(collector: self) }
    }

    struct CollectingHandler: LogHandler {
        let collector: LineCollector
        var metadata: Logger.Metadata = [:]
        var logLevel: Logger.Level = .trace
        subscript(metadataKey key: String) -> Logger.Metadata.Value? {
            get { metadata[key] }
            set { metadata[key] = newValue }
        }
        func log(event: LogEvent) { collector.lines.withLock { $0.append(event.message.description) } }
    }
}

@Suite struct DriverSeamTests {
    func run(_ function: InngestFunction, driver: RunEverythingDriver, memo: [String: StepMemo] = [:], logger: Logger = Logger(label: "t")) async throws -> JSONValue {
        let execution = StepExecution(appID: "app", memo: memo, driver: driver)
        return try await function.call(HandlerInput(events: [Fixture.event("a")], runID: "r", attempt: 0, maxAttempts: 5, execution: execution, logger: logger))
    }

    @Test func aLiveDriverRunsTheWholeHandlerInOneExecution() async throws {
        let counter = Counter()
        let driver = RunEverythingDriver()
        let result = try await run(Fixture.loop(counter), driver: driver)
        #expect(result == 3)
        #expect(driver.resolved.withLock { $0 } == ["copy-images-to-s3", "copy-images-to-s3:1", "copy-images-to-s3:2"])
        #expect(counter["loop-0"] == 1 && counter["loop-2"] == 1)
    }

    @Test func aJustComputedResultIsWhatTheCodecGivesBack() async throws {
        struct Stamp: Codable, Sendable, Equatable { var at: Date }
        let seen = Mutex<Date?>(nil)
        let stamper = InngestFunction(.init(id: "stamp", trigger: .event("a"))) { (ctx: Context<JSONValue>) in
            let stamp = try await ctx.step.run("stamp") { Stamp(at: Date(timeIntervalSince1970: 1_780_304_400.123_456)) }
            seen.withLock { $0 = stamp.at }
        }
        _ = try await run(stamper, driver: RunEverythingDriver())
        // The handler sees milliseconds only, exactly what a replay from the record would give.
        let seconds = try #require(seen.withLock { $0 }).timeIntervalSince1970
        #expect(abs(seconds - 1_780_304_400.123) < 0.000_01)
    }

    @Test func memoizedStepsAreReplayedBeforeTheDriverIsAsked() async throws {
        let counter = Counter()
        let driver = RunEverythingDriver()
        let result = try await run(Fixture.loop(counter), driver: driver, memo: [Hash.copy: .data(10), Hash.copy1: .data(20)])
        #expect(result == 32)
        #expect(driver.resolved.withLock { $0 } == ["copy-images-to-s3:2"])
    }

    @Test func logLinesAreNotRepeatedWhileReplaying() async throws {
        let collector = LineCollector()
        let chatty = InngestFunction(.init(id: "chatty", trigger: .event("a"))) { (ctx: Context<JSONValue>) in
            ctx.logger.info("start")
            try await ctx.step.run("one") {
                ctx.logger.info("in one")
                return 1
            }
            ctx.logger.info("after one")
            try await ctx.step.run("two") { 2 }
            ctx.logger.info("after two")
        }
        // "one" was recorded by an earlier execution, whose lines were already written.
        _ = try await run(chatty, driver: RunEverythingDriver(), memo: [StepIdentity.hash("one"): .data(1)], logger: collector.logger())
        #expect(collector.lines.withLock { $0 } == ["after one", "after two"])
    }

    @Test func theLoggerCarriesTheRunId() async throws {
        let seen = Mutex<Logger.Metadata.Value?>(nil)
        let function = InngestFunction(.init(id: "f", trigger: .event("a"))) { (ctx: Context<JSONValue>) in
            seen.withLock { $0 = ctx.logger[metadataKey: "inngest.run_id"] }
        }
        _ = try await run(function, driver: RunEverythingDriver())
        #expect(seen.withLock { $0 } == "r")
    }
}
