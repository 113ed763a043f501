import Crypto
import Foundation

/// A signing key, `signkey-<env>-<hex>` (or the bare hex of a self-hosted server).
///
/// The key never appears in `description`, logs or errors; only its derived forms leave it:
/// the HMAC for signatures, the hashed bearer token, and the hash shown in introspection.
public struct SigningKey: Sendable, Hashable, CustomStringConvertible, CustomDebugStringConvertible {
    /// `signkey-<env>-`, or empty for a bare key.
    public let prefix: String
    private let secret: String

    public init(_ key: String) {
        let trimmed = key.trimmingCharacters(in: .whitespacesAndNewlines)
        let (prefix, secret) = Self.split(trimmed)
        self.prefix = prefix
        self.secret = secret
    }

    /// Splits off `^signkey-\w+-`.
    private static func split(_ key: String) -> (String, String) {
        let marker = "signkey-"
        guard key.hasPrefix(marker) else { return ("", key) }
        let rest = key.dropFirst(marker.count)
        guard let dash = rest.firstIndex(of: "-"), dash > rest.startIndex,
            rest[rest.startIndex..<dash].allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_") })
        else { return ("", key) }
        let prefixEnd = rest.index(after: dash)
        return (String(key[key.startIndex..<prefixEnd]), String(key[prefixEnd...]))
    }

    /// The HMAC key: the ASCII text of the part after the prefix (not hex-decoded).
    var hmacKey: SymmetricKey { SymmetricKey(data: Array(secret.utf8)) }

    /// Lowercase hex SHA-256 of the hex-decoded secret (of its UTF-8 bytes if it is not hex).
    public var hashedSecret: String {
        let bytes = Hex.decode(secret) ?? Array(secret.utf8)
        return Hex.encode(Array(SHA256.hash(data: bytes)))
    }

    /// `Authorization: Bearer <this>` for calls to the server API: the prefix kept, the
    /// secret replaced by its hash (TypeScript's form; the server accepts it with or without the prefix).
    public var bearerToken: String { prefix + hashedSecret }

    /// Whether `token` (an `Authorization: Bearer` value) proves the caller holds this key:
    /// the hashed form or the raw key, with or without the `signkey-<env>-` prefix, as the
    /// server accepts. Compared in constant time.
    public func acceptsBearer(_ token: String) -> Bool {
        let presented = SigningKey(token)
        var matched = false
        for candidate in [hashedSecret, secret] {
            let (a, b) = (Array(presented.secret.utf8), Array(candidate.utf8))
            var difference = UInt8(a.count == b.count ? 0 : 1)
            for index in 0..<min(a.count, b.count) { difference |= a[index] ^ b[index] }
            if difference == 0 { matched = true }
        }
        return matched && (presented.prefix.isEmpty || presented.prefix == prefix)
    }

    /// The secret text, for redaction only.
    var secretText: String { secret }

    public var description: String { "SigningKey(\(prefix.isEmpty ? "" : prefix)<redacted>)" }
    public var debugDescription: String { description }
}

extension Hex {
    static func sha256(_ text: String) -> String {
        encode(Array(SHA256.hash(data: Array(text.utf8))))
    }
}
