import Crypto
import Foundation

/// `X-Inngest-Signature: t=<unix seconds>&s=<hex HMAC-SHA256(key, body ‖ t)>`, where the key
/// is the ASCII text of the signing key after its `signkey-<env>-` prefix.
package enum RequestSignature {
    /// Why a request signature was refused. Messages never include keys or MACs.
    package enum Failure: Error, Sendable, Hashable, CustomStringConvertible {
        case missing
        case malformed
        case outsideTimeWindow
        case mismatch
        case noSigningKey

        package var description: String {
            switch self {
            case .missing: return "the request has no X-Inngest-Signature header"
            case .malformed: return "the X-Inngest-Signature header is not of the form t=<seconds>&s=<hex>"
            case .outsideTimeWindow: return "the signature's timestamp is more than 5 minutes away from now"
            case .mismatch: return "the signature does not match the body with any configured signing key"
            case .noSigningKey: return "no signing key is configured"
            }
        }
    }

    /// The hex HMAC of `body ‖ "<timestamp>"`.
    package static func mac(body: [UInt8], timestamp: Int64, key: SigningKey) -> String {
        Hex.encode(Array(HMAC<SHA256>.authenticationCode(for: body + Array(String(timestamp).utf8), using: key.hmacKey)))
    }

    /// The full header value for `body` signed at `timestamp`.
    package static func header(body: [UInt8], timestamp: Int64, key: SigningKey) -> String {
        "t=\(timestamp)&s=\(mac(body: body, timestamp: timestamp, key: key))"
    }

    /// Verifies `header` over `body` and returns the key that matched.
    ///
    /// The MAC is checked over the exact bytes first and then, when those do not match and
    /// the body is JSON, over its RFC 8785 canonical form (the server signs the canonical
    /// form it sends; a proxy may have re-serialized it). Each key is tried in order, the
    /// primary before the fallback. Comparisons are constant-time.
    package static func verify(header: String?, body: [UInt8], keys: [SigningKey], now: Date) -> Result<SigningKey, Failure> {
        guard !keys.isEmpty else { return .failure(.noSigningKey) }
        guard let header, !header.isEmpty else { return .failure(.missing) }
        guard let parsed = SignatureHeader(parsing: header, macLength: SHA256.byteCount) else { return .failure(.malformed) }
        guard parsed.isCurrent(now: now.timeIntervalSince1970) else { return .failure(.outsideTimeWindow) }
        let (timestamp, expected) = (parsed.timestamp, parsed.mac)

        let suffix = Array(String(timestamp).utf8)
        func matches(_ message: [UInt8], _ key: SigningKey) -> Bool {
            HMAC<SHA256>.isValidAuthenticationCode(expected, authenticating: message + suffix, using: key.hmacKey)
        }
        for key in keys where matches(body, key) { return .success(key) }
        if !body.isEmpty, let parsed = try? JSONText.read(body), let canonical = try? JSONCanonicalization.canonicalBytes(parsed),
            canonical != body
        {
            for key in keys where matches(canonical, key) { return .success(key) }
        }
        return .failure(.mismatch)
    }
}
