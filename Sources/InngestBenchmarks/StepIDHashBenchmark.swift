import Crypto
import Foundation
import Inngest

/// The step-id hash every step computes: InngestCore's own SHA-1 against swift-crypto's
/// (BoringSSL) with the hex formatting the runtime used with it, over the same ids, in turns.
enum StepIDHashBenchmark {
    static func run() async throws {
        let ids = (0..<200_000).map { "step-\($0 % 1_000)-of-run:\($0 % 7)" }
        var rounds: [(own: Double, crypto: Double)] = []
        for _ in 0..<5 {
            let own = measure(ids) { SHA1.hex(of: $0) }
            let crypto = measure(ids) { text in
                let digest = Insecure.SHA1.hash(data: Array(text.utf8))
                var hex: [UInt8] = []
                hex.reserveCapacity(40)
                for byte in digest {
                    hex.append(hexDigits[Int(byte >> 4)])
                    hex.append(hexDigits[Int(byte & 0x0F)])
                }
                return String(decoding: hex, as: UTF8.self)
            }
            rounds.append((own, crypto))
        }
        let own = rounds.map(\.own).sorted()[2]
        let crypto = rounds.map(\.crypto).sorted()[2]
        print("step id hash, \(ids.count) ids of \(ids[0].utf8.count)-\(ids.map(\.utf8.count).max() ?? 0) bytes, median of 5:")
        print(String(format: "  InngestCore SHA1.hex: %.0f ns/id; swift-crypto Insecure.SHA1 + hex: %.0f ns/id; ratio %.2f", own, crypto, own / crypto))
    }

    private static let hexDigits = Array("0123456789abcdef".utf8)

    private static func measure(_ ids: [String], _ hash: (String) -> String) -> Double {
        var checksum = 0
        let clock = ContinuousClock()
        let elapsed = clock.measure {
            for id in ids { checksum &+= hash(id).utf8.count }
        }
        precondition(checksum == 40 * ids.count)
        return Double(elapsed.components.attoseconds) / 1e9 / Double(ids.count) + Double(elapsed.components.seconds) * 1e9 / Double(ids.count)
    }
}
