import Crypto
import Foundation
import GRDB
import Inngest
import InngestTesting
import Synchronization
import Testing

@testable import InngestEngine

/// A middleware that records what it hears, and marks what passes through it.
final class RecordingMiddleware: InngestMiddleware {
    let name: String
    let log = Mutex<[String]>([])

    init(_ name: String) { self.name = name }

    var entries: [String] { log.withLock { $0 } }
    private func note(_ entry: String) { log.withLock { $0.append(entry) } }

    func transformInput(_ events: [AnyEvent], of run: RunInfo) async throws -> [AnyEvent] {
        note("input attempt \(run.attempt)")
        return events.map { event in
            var event = event
            if case .object(var data) = event.data {
                data["seen_by", default: ""] = .string((data["seen_by"]?.stringValue ?? "") + name)
                event.data = .object(data)
            }
            return event
        }
    }
    func onRunStart(_ run: RunInfo) async { note("start") }
    func wrapStep(_ step: StepInfo, next: @Sendable () async throws -> JSONValue) async throws -> JSONValue {
        note("wrap \(step.id) attempt \(step.attempt)")
        return try await next()
    }
    func transformStepOutput(_ output: JSONValue, of step: StepInfo) async throws -> JSONValue {
        note("output \(step.id)")
        return output
    }
    func onRunComplete(_ run: RunInfo, output: JSONValue) async { note("complete \(output.stringValue ?? "?")") }
    func onRunError(_ run: RunInfo, error: any Error, isFinalAttempt: Bool) async { note("error final=\(isFinalAttempt)") }
}

/// Lines a test's functions and middleware write, in order.
final class Notes: Sendable {
    private let lines = Mutex<[String]>([])
    func add(_ new: String...) { lines.withLock { $0 += new } }
    var all: [String] { lines.withLock { $0 } }
}

@Suite struct EngineMiddlewareTests {
    @Test func hooksRunAroundTheRunAndEachStepAttemptAcrossParksAndRetries() async throws {
        let middleware = RecordingMiddleware("A")
        let attempts = Atomic<Int>(0)
        let seen = Mutex<String?>(nil)
        let function = InngestFunction(.init(id: "flow", trigger: .event("go"))) { (ctx: Context<JSONValue>) -> String in
            seen.withLock { $0 = ctx.event.data["seen_by"]?.stringValue }
            let value: String = try await ctx.step.run("flaky") {
                if attempts.add(1, ordering: .relaxed).oldValue == 0 { throw Flaky() }
                return "v"
            }
            try await ctx.step.sleep("nap", "1m")
            return value
        }
        let harness = try await Harness([function], middleware: [middleware])
        try await harness.engine.send(AnyEvent(name: "go", data: [:]))
        await harness.advance(by: .seconds(300))
        #expect(try await harness.onlyRun(of: "flow").run.status == .completed)
        #expect(seen.withLock { $0 } == "A", "the handler sees the transformed input")
        #expect(
            middleware.entries == [
                "input attempt 0", "start", "wrap flaky attempt 0", "wrap flaky attempt 1", "output flaky", "complete v",
            ], "one execution across the retry and the sleep: one start, one completion")
    }

    @Test func aFailingRunReportsEachErrorAndWhetherItIsTheLast() async throws {
        let middleware = RecordingMiddleware("A")
        let function = InngestFunction(.init(id: "doomed", trigger: .event("go"), retries: 1)) { (_: Context<JSONValue>) -> String in
            throw Flaky()
        }
        let harness = try await Harness([function], middleware: [middleware])
        try await harness.engine.send(AnyEvent(name: "go"))
        await harness.advance(by: .seconds(600))
        #expect(try await harness.onlyRun(of: "doomed").run.status == .failed)
        #expect(middleware.entries == ["input attempt 0", "start", "error final=false", "input attempt 1", "error final=true"])
    }

    @Test func theFirstMiddlewareIsOutermost() async throws {
        let order = Notes()
        struct Layer: InngestMiddleware {
            let name: String
            let order: Notes
            func wrapStep(_ step: StepInfo, next: @Sendable () async throws -> JSONValue) async throws -> JSONValue {
                order.add("\(name) before")
                let value = try await next()
                order.add("\(name) after")
                return .string((value.stringValue ?? "") + name)
            }
        }
        let function = InngestFunction(.init(id: "layers", trigger: .event("go"))) { (ctx: Context<JSONValue>) -> String in
            try await ctx.step.run("s") { "" }
        }
        let harness = try await Harness([function], middleware: [Layer(name: "A", order: order), Layer(name: "B", order: order)])
        try await harness.engine.send(AnyEvent(name: "go"))
        await harness.advance(by: .seconds(1))
        #expect(order.all == ["A before", "B before", "B after", "A after"])
        #expect(try await harness.onlyRun(of: "layers").run.output == .string("BA"), "the outermost layer has the last word")
    }

    @Test func sentEventsPassThroughTheMiddleware() async throws {
        struct Stamp: InngestMiddleware {
            func transformSentEvents(_ events: [AnyEvent]) async throws -> [AnyEvent] {
                events.map { event in
                    var event = event
                    event.data = ["stamped": true]
                    return event
                }
            }
        }
        let received = Mutex<[JSONValue]>([])
        let listener = InngestFunction(.init(id: "listener", trigger: .event("ping"))) { (ctx: Context<JSONValue>) in
            received.withLock { $0.append(ctx.event.data) }
        }
        let sender = InngestFunction(.init(id: "sender", trigger: .event("go"))) { (ctx: Context<JSONValue>) in
            try await ctx.step.sendEvent("ping", Event(name: "ping", data: JSONValue.object([:])))
        }
        let harness = try await Harness([listener, sender], middleware: [Stamp()])
        try await harness.engine.send(AnyEvent(name: "go"))
        await harness.advance(by: .seconds(1))
        #expect(received.withLock { $0 } == [["stamped": true]])
    }
}

/// The AES-GCM codec on the engine: what is stored is ciphertext, what the handler sees is clear.
@Suite struct EnginePayloadCodecTests {
    static let secret = "4111-1111-1111-1111"

    static func key(_ id: String) throws -> AESGCMPayloadCodec.Key {
        try .init(id: id, key: SymmetricKey(size: .bits256))
    }

    static func cardFunction(seen: Notes) -> InngestFunction {
        InngestFunction(.init(id: "charge", trigger: .event("card/added"))) { (ctx: Context<JSONValue>) -> String in
            let card = ctx.event.data["number"]?.stringValue ?? "none"
            let masked: String = try await ctx.step.run("mask") { "\(card)|masked" }
            try await ctx.step.sleep("settle", "1h")
            let receipt: String = try await ctx.step.run("receipt") { "receipt for \(card)" }
            seen.add(card, masked, receipt)
            return receipt
        }
    }

    /// Every text column of every row of the file, and its WAL, as bytes.
    static func rawFile(_ directory: URL) throws -> String {
        var text = ""
        for name in try FileManager.default.contentsOfDirectory(atPath: directory.path) where name.hasPrefix("engine.sqlite") {
            let data = try Data(contentsOf: directory.appendingPathComponent(name))
            text += String(decoding: data, as: UTF8.self)
        }
        return text
    }

    @Test func storedValuesAreCiphertextAndTheHandlerSeesClearText() async throws {
        let seen = Notes()
        let codec = try AESGCMPayloadCodec(current: Self.key("k1"))
        let harness = try await Harness([Self.cardFunction(seen: seen)], middleware: [PayloadCodecMiddleware(codec: codec)])
        try await harness.engine.send(AnyEvent(name: "card/added", data: ["number": .string(Self.secret)]))
        await harness.advance(by: .seconds(3_700))
        let detail = try await harness.onlyRun(of: "charge")
        let run = detail.run
        #expect(run.status == .completed)
        #expect(seen.all == [Self.secret, "\(Self.secret)|masked", "receipt for \(Self.secret)"])
        #expect(try codec.decode(try #require(run.output)) == .string("receipt for \(Self.secret)"), "the run's output is stored encoded")
        #expect(run.output?.objectValue?["$inngest_codec"] == "aes-256-gcm")
        await harness.engine.shutdown()
        let raw = try Self.rawFile(harness.directory)
        #expect(raw.contains("aes-256-gcm"), "the file holds the codec's values")
        #expect(!raw.contains(Self.secret), "the card number is nowhere in the database file")
    }

    @Test func anInvokesInputAndOutputAreStoredEncodedAndReadInClear() async throws {
        struct Card: Codable, Sendable { var number: String }
        let seen = Notes()
        let child = InngestFunction(.init(id: "tokenize", trigger: .event("card/tokenize"))) { (ctx: Context<Card>) -> String in
            seen.add("child saw \(ctx.event.data.number)")
            return "token-for-\(ctx.event.data.number)"
        }
        let parent = InngestFunction(.init(id: "checkout", trigger: .event("checkout"))) { (ctx: Context<JSONValue>) -> String in
            let token = try await ctx.step.invoke("tokenize", function: FunctionReference<Card, String>(id: "tokenize"), data: Card(number: Self.secret))
            seen.add("parent got \(token)")
            return "ok"
        }
        let codec = try AESGCMPayloadCodec(current: Self.key("k1"))
        let harness = try await Harness([child, parent], middleware: [PayloadCodecMiddleware(codec: codec)])
        try await harness.engine.send(AnyEvent(name: "checkout"))
        await harness.advance(by: .seconds(1))
        #expect(try await harness.onlyRun(of: "checkout").run.status == .completed)
        #expect(seen.all == ["child saw \(Self.secret)", "parent got token-for-\(Self.secret)"])
        await harness.engine.shutdown()
        #expect(!(try Self.rawFile(harness.directory)).contains(Self.secret), "neither the invoke's input nor the child's output is stored in clear")
    }

    @Test func aRotatedKeyStillDecryptsWhatItEncryptedAsAFallback() async throws {
        let seen = Notes()
        let old = try Self.key("2026-06")
        let new = try Self.key("2026-12")
        let clock = TestClock()
        let first = try await Harness(
            [Self.cardFunction(seen: seen)], clock: clock, middleware: [PayloadCodecMiddleware(codec: try AESGCMPayloadCodec(current: old))])
        try await first.engine.send(AnyEvent(name: "card/added", data: ["number": .string(Self.secret)]))
        await first.advance(by: .seconds(60))
        await first.engine.shutdown()
        // Restarted with a new key: the event and the first step were encrypted with the old one.
        let rotated = try AESGCMPayloadCodec(current: new, fallbacks: [old])
        let second = try await Harness(
            [Self.cardFunction(seen: seen)], clock: clock, directory: first.directory, middleware: [PayloadCodecMiddleware(codec: rotated)])
        await second.advance(by: .seconds(3_700))
        let detail = try await second.onlyRun(of: "charge")
        let run = detail.run
        #expect(run.status == .completed)
        #expect(seen.all == [Self.secret, "\(Self.secret)|masked", "receipt for \(Self.secret)"])
        let receipt = try #require(detail.steps.first { $0.userID == "receipt" }?.output)
        #expect(receipt.objectValue?["key"] == "2026-12", "new values use the current key")
        let mask = try #require(detail.steps.first { $0.userID == "mask" }?.output)
        #expect(mask.objectValue?["key"] == "2026-06")
    }

    @Test func aValueTheCodecCannotDecodeFailsThatRunNamingTheStepAndNothingElse() async throws {
        let seen = Notes()
        let clock = TestClock()
        let old = try Self.key("lost")
        let first = try await Harness(
            [Self.cardFunction(seen: seen)], clock: clock, middleware: [PayloadCodecMiddleware(codec: try AESGCMPayloadCodec(current: old), eventData: .none)])
        try await first.engine.send(AnyEvent(name: "card/added", data: ["number": "1"]))
        await first.advance(by: .seconds(60))
        await first.engine.shutdown()
        // The old key is gone: the recorded output of "mask" cannot be read.
        let second = try await Harness(
            [Self.cardFunction(seen: seen)], clock: clock, directory: first.directory,
            middleware: [PayloadCodecMiddleware(codec: try AESGCMPayloadCodec(current: try Self.key("new")), eventData: .none)])
        await second.advance(by: .seconds(3_700))
        let failedDetail = try await second.onlyRun(of: "charge")
        let failed = failedDetail.run
        #expect(failed.status == .failed)
        let message = try #require(failed.error?.message)
        #expect(message.contains("step \"mask\""), "names the step: \(message)")
        #expect(message.contains("\"lost\""), "names the missing key: \(message)")
        #expect(failedDetail.steps.contains { $0.userID == "receipt" } == false, "nothing after it ran")
        // Other runs go on.
        try await second.engine.send(AnyEvent(name: "card/added", data: ["number": "2"]))
        await second.advance(by: .seconds(3_700))
        #expect(try await second.engine.runCount(function: "charge", status: .completed) == 1)
    }
}
