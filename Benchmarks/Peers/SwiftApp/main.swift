// The served Swift app of the peer benchmark (Benchmarks/Peers): Hummingbird serves its
// functions to `inngest dev`, which drives them over HTTP. Benchmarks/Peers/peers.py starts it.
//
// Environment:
//   PORT              listen port on 127.0.0.1 (default 13950)
//   PEERS_UDP_PORT    where the first step of `first-step` reports the run's index, as one
//                     UDP datagram to 127.0.0.1 (default 13959): the driver's latency clock
//   INNGEST_DEV, INNGEST_EVENT_KEY and the SDK's other variables, as for any served app
//
// Functions:
//   steps       on `bench/steps` {"steps": S}: S trivial steps in sequence
//   first-step  on `bench/latency` {"i": index}: one step, which reports the index
//   sleeper     on `bench/sleep`: one 1-hour sleep
import Foundation
import Hummingbird
import Inngest
import InngestHummingbird

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// Sends one datagram per first step to the driver on 127.0.0.1.
final class LatencyReporter: Sendable {
    private let descriptor: Int32
    private let port: UInt16

    init(port: UInt16) {
        #if canImport(Glibc)
            descriptor = socket(AF_INET, Int32(SOCK_DGRAM.rawValue), 0)
        #else
            descriptor = socket(AF_INET, SOCK_DGRAM, 0)
        #endif
        self.port = port
    }

    func report(_ index: Int64) {
        guard descriptor >= 0 else { return }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = port.bigEndian
        address.sin_addr.s_addr = UInt32(0x7F00_0001).bigEndian
        let message = Array("\(index)".utf8)
        _ = withUnsafePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { socketAddress in
                message.withUnsafeBytes { bytes in
                    sendto(descriptor, bytes.baseAddress, bytes.count, 0, socketAddress, socklen_t(MemoryLayout<sockaddr_in>.size))
                }
            }
        }
    }
}

let environment = ProcessInfo.processInfo.environment
let port = Int(environment["PORT"] ?? "") ?? 13950
let reporter = LatencyReporter(port: UInt16(environment["PEERS_UDP_PORT"] ?? "") ?? 13959)

let functions: [InngestFunction] = [
    InngestFunction(FunctionConfiguration(id: "steps", trigger: .event("bench/steps"))) { (ctx: Context<JSONValue>) -> Int in
        let count = Int(ctx.event.data["steps"]?.integerValue ?? 0)
        var total = 0
        for index in 0..<max(0, count) {
            total += try await ctx.step.run("step") { index }
        }
        return total
    },
    InngestFunction(FunctionConfiguration(id: "first-step", trigger: .event("bench/latency"))) { (ctx: Context<JSONValue>) in
        let index = ctx.event.data["i"]?.integerValue ?? -1
        try await ctx.step.run("first") { reporter.report(index) }
    },
    InngestFunction(FunctionConfiguration(id: "sleeper", trigger: .event("bench/sleep"))) { (ctx: Context<JSONValue>) in
        try await ctx.step.sleep("nap", "1h")
    },
]

let configuration = InngestConfiguration(appID: "peer-bench-swift", framework: "hummingbird")
let client = InngestClient(configuration: configuration, transport: AsyncHTTPClientTransport())
let router = Router()
router.addInngest(InngestServeHandler(client: client, functions: functions))
let app = Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: port)))
print("peer-bench-swift serving on http://127.0.0.1:\(port)/api/inngest (\(configuration.mode.rawValue) mode)")
try await app.runService()
