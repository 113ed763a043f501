import Foundation
import Synchronization
import Testing

@testable import Inngest

/// Counts how often step bodies run, to prove that recorded steps do not run again.
final class Counter: Sendable {
    private let counts = Mutex<[String: Int]>([:])
    func hit(_ key: String) { counts.withLock { $0[key, default: 0] += 1 } }
    subscript(key: String) -> Int { counts.withLock { $0[key, default: 0] } }
}

struct Boom: Error, CustomStringConvertible {
    var message: String
    var description: String { message }
}

struct InvoiceCreated: EventPayload, Equatable {
    static let eventName = "app/invoice.created"
    // swift-format-ignore: AlwaysUseLowerCamelCase
    // The wire field as another SDK names it.
    var invoice_id: String
}

struct InvoicePaid: EventPayload, Equatable {
    static let eventName = "app/invoice.paid"
    // swift-format-ignore: AlwaysUseLowerCamelCase
    // The wire field as another SDK names it.
    var invoice_id: String
}

struct CubeInput: Codable, Sendable { var n: Int }

/// The functions of the conformance fixture (`swift-app`), written with the public API.
enum Fixture {
    static let appID = "swift-app"

    static func event(_ name: String, _ data: JSONValue = [:]) -> AnyEvent {
        AnyEvent(name: name, data: data, id: "01HQ8Z5R3J6W2K9T4V7X1Y0EVT", ts: 1_700_000_000_000, user: [:], v: nil)
    }

    static func request(
        _ event: AnyEvent, steps: [String: JSONValue] = [:], attempt: Int = 0, maxAttempts: Int? = 4,
        target: String? = nil, disableImmediateExecution: Bool = false
    ) -> ExecutionRequest {
        ExecutionRequest(
            events: [event], steps: steps, runID: "01HQ8Z5R3J6W2K9T4V7X1Y0ABC", attempt: attempt,
            maxAttempts: maxAttempts, targetStepID: target, disableImmediateExecution: disableImmediateExecution)
    }

    static func execute(_ function: InngestFunction, _ request: ExecutionRequest, sender: any EventSender = NoEventSender()) async -> ExecutionOutcome {
        await Executor(appID: appID, eventSender: sender).execute(function, request)
    }

    static func copy(_ counter: Counter) -> InngestFunction {
        InngestFunction(.init(id: "copy", trigger: .event("app/images.uploaded"))) { (ctx: Context<JSONValue>) -> JSONValue in
            try await ctx.step.run("copy-images-to-s3") { () -> JSONValue in
                counter.hit("copy")
                return ["copied": 3]
            }
        }
    }

    static func loop(_ counter: Counter) -> InngestFunction {
        InngestFunction(.init(id: "loop", trigger: .event("app/loop"))) { (ctx: Context<JSONValue>) -> Int in
            var total = 0
            for i in 0..<3 {
                total += try await ctx.step.run("copy-images-to-s3") {
                    counter.hit("loop-\(i)")
                    return i
                }
            }
            return total
        }
    }

    static func sequence(_ counter: Counter) -> InngestFunction {
        InngestFunction(.init(id: "seq", trigger: .event("app/user.created"))) { (ctx: Context<JSONValue>) -> String in
            let user = try await ctx.step.run("fetch-user") { () -> JSONValue in
                counter.hit("fetch-user")
                return ["id": "u_1"]
            }
            #expect(user == ["id": "u_1"])
            try await ctx.step.run("send-email") { () -> String in
                counter.hit("send-email")
                return "sent"
            }
            return "done"
        }
    }

    static func parallel(_ counter: Counter) -> InngestFunction {
        InngestFunction(.init(id: "par", trigger: .event("app/par"))) { (ctx: Context<JSONValue>) -> String in
            async let a = ctx.step.run("parallel-a") {
                counter.hit("a")
                return "A"
            }
            async let b = ctx.step.run("parallel-b") {
                counter.hit("b")
                return "B"
            }
            return try await a + b
        }
    }

    static let nap = InngestFunction(.init(id: "nap", trigger: .event("app/nap"))) { (ctx: Context<JSONValue>) -> String in
        try await ctx.step.sleep("nap", "30m")
        return "awake"
    }

    static let until = InngestFunction(.init(id: "until", trigger: .event("app/until"))) { (ctx: Context<JSONValue>) -> String in
        try await ctx.step.sleepUntil("sleep-until", Date(timeIntervalSince1970: 1_780_304_400))
        return "ok"
    }

    static let wait = InngestFunction(.init(id: "wait", trigger: .event(InvoiceCreated.self))) { (ctx: Context<InvoiceCreated>) -> String in
        let paid = try await ctx.step.waitForEvent("wait-for-payment", event: InvoicePaid.self, timeout: "7d", match: "data.invoice_id")
        if let paid { #expect(paid.data.invoice_id == ctx.event.data.invoice_id) }
        return paid == nil ? "timeout" : "paid"
    }

    static let computeCube = FunctionReference<CubeInput, Int>(id: "compute-cube")

    static let invoker = InngestFunction(.init(id: "invoker", trigger: .event("app/invoke"))) { (ctx: Context<JSONValue>) -> JSONValue in
        let cube = try await ctx.step.invoke("invoke-child", function: computeCube, data: CubeInput(n: 3), timeout: "1h")
        return ["cube": .integer(Int64(cube))]
    }

    static let cube = InngestFunction(.init(id: "compute-cube")) { (ctx: Context<CubeInput>) -> Int in
        ctx.event.data.n * ctx.event.data.n * ctx.event.data.n
    }

    static func risky(_ counter: Counter, error: @escaping @Sendable () -> any Error = { Boom(message: "boom") }) -> InngestFunction {
        InngestFunction(.init(id: "risky", trigger: .event("app/risky"))) { (ctx: Context<JSONValue>) in
            try await ctx.step.run("risky") { () -> Int in
                counter.hit("risky")
                throw error()
            }
        }
    }

    static let shared = InngestFunction(.init(id: "shared", trigger: .event("app/shared"))) { (ctx: Context<JSONValue>) in
        _ = try await ctx.step.run("notify") { 1 }
        try await ctx.step.sleep("notify", "1m")
    }

    static let unicode = InngestFunction(.init(id: "unicode", trigger: .event("app/u"))) { (ctx: Context<JSONValue>) -> String in
        try await ctx.step.run("résumé") { "ok" }
    }
}

/// Hashes from the conformance cases.
enum Hash {
    static let copy = "3059b195c91cda9734ab88acfdcd22086b09f9b3"
    static let copy1 = "24e7148209ac7ee18f7c78ac10752bf70ee8ead7"
    static let copy2 = "b8dda9f4e5de83cf0358ccbcc3607ec93f8482c7"
    static let fetchUser = "857c0b3e9253ce40ce09381575f27504abb803ea"
    static let sendEmail = "ae5eabd67d009d3acf1edede18ddb17ec5997dc5"
    static let parallelA = "6e1ce6fba454b423dd2304bed7db6a36cdedc6df"
    static let parallelB = "3a23e584ab0e16d179e37f9075588363ff16d99c"
    static let nap = "c2640f79b4ed481b838ce4ad75330aa3f825d4d9"
    static let sleepUntil = "2c3b76f95540eeacba8334bc565a56fc58bef97c"
    static let waitForPayment = "5cb60a99e2e4e3944be0f5d63c9a6972d88db4e8"
    static let invokeChild = "7ff123e6431be676220df2842b3ee0fd2b288a86"
    static let risky = "f8a3616d7e58ff6242563873b1cfc46048094eb9"
    static let notify = "4f08301dcb7bf7ec8486798a9d2a1d43f508c8aa"
    static let notify1 = "72c5de6946cdf2dfe0fda8996135cf23ef25569c"
    static let resume = "f8918de22cfec9e8cabddcf17980b1ae9bcd957a"
}

extension ExecutionOutcome {
    var ops: [Opcode] {
        if case .steps(let ops) = self { return ops }
        return []
    }
}
