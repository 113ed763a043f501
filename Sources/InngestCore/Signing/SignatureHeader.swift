/// The parts of `X-Inngest-Signature: t=<unix seconds>&s=<hex MAC>`, read without trusting
/// them: the checks of the MAC itself (which needs the key) come after.
package struct SignatureHeader: Sendable, Hashable {
    /// How far a signature's time may be from the receiver's clock, both ways, in seconds
    /// (TypeScript's rule): the bound on replaying a captured request.
    package static let toleranceSeconds: Int64 = 5 * 60

    /// When the request was signed, in Unix seconds.
    package let timestamp: Int64
    /// The MAC's bytes.
    package let mac: [UInt8]

    package init(timestamp: Int64, mac: [UInt8]) {
        self.timestamp = timestamp
        self.mac = mac
    }

    /// Reads a header value; `nil` unless it has a decimal `t` and a hex `s` of `macLength`
    /// bytes. Other members are ignored; of a repeated member the last counts.
    package init?(parsing header: String, macLength: Int) {
        var timestampText: Substring?
        var macText: Substring?
        for pair in header.split(separator: "&") {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            guard parts.count == 2 else { continue }
            switch parts[0] {
            case "t": timestampText = parts[1]
            case "s": macText = parts[1]
            default: continue
            }
        }
        guard let timestampText, let timestamp = Int64(timestampText), let macText, let mac = Hex.decode(String(macText)),
            mac.count == macLength
        else { return nil }
        self.timestamp = timestamp
        self.mac = mac
    }

    /// The header's text.
    package var text: String { "t=\(timestamp)&s=\(Hex.encode(mac))" }

    /// Whether it was signed within ``toleranceSeconds`` of `now` (Unix seconds, fractions
    /// counted, as TypeScript's `Date.now() / 1000`). Any value is safe: the distance is a
    /// double, never an overflow.
    package func isCurrent(now: Double) -> Bool {
        abs(now - Double(timestamp)) <= Double(Self.toleranceSeconds)
    }
}
