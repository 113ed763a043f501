import Crypto
import Foundation

/// Encrypts values with AES-256-GCM (swift-crypto): each value becomes
/// `{"$inngest_codec": "aes-256-gcm", "key": "<key id>", "ciphertext": "<base64>"}`, sealed with
/// a fresh random nonce and the key id as authenticated data.
///
/// Key rotation: encrypt with a new ``current`` key and keep the old ones as `fallbacks`, so
/// values written before still decrypt; retire a fallback once no stored value uses it (with
/// the engine, after its retention period).
///
/// ```swift
/// let codec = try AESGCMPayloadCodec(
///     current: .init(id: "2026-12", base64: ProcessInfo.processInfo.environment["PAYLOAD_KEY"] ?? ""),
///     fallbacks: [.init(id: "2026-06", base64: oldKey)])
/// options.middleware = [PayloadCodecMiddleware(codec: codec)]
/// ```
public struct AESGCMPayloadCodec: PayloadCodec {
    /// The name of this encoding, in each encoded value.
    public static let encodingName = "aes-256-gcm"

    /// A 256-bit key and the id that names it in the values it encrypts.
    public struct Key: Sendable {
        public let id: String
        let key: SymmetricKey

        /// - Throws: ``PayloadCodecError`` if the id is empty or the key is not 256 bits.
        public init(id: String, key: SymmetricKey) throws {
            guard !id.isEmpty else { throw PayloadCodecError("an AES-GCM key needs a non-empty id") }
            guard key.bitCount == 256 else {
                throw PayloadCodecError("the AES-GCM key \"\(id)\" has \(key.bitCount) bits; aes-256-gcm needs 256 (32 bytes)")
            }
            self.id = id
            self.key = key
        }

        /// A key given as base64 text (32 bytes: `openssl rand -base64 32`).
        public init(id: String, base64: String) throws {
            guard let bytes = Data(base64Encoded: base64) else {
                throw PayloadCodecError("the AES-GCM key \"\(id)\" is not valid base64")
            }
            try self.init(id: id, key: SymmetricKey(data: bytes))
        }
    }

    /// The key new values are encrypted with.
    public let current: Key
    private let keys: [String: Key]

    /// - Throws: ``PayloadCodecError`` if two keys have the same id.
    public init(current: Key, fallbacks: [Key] = []) throws {
        var keys: [String: Key] = [:]
        for key in [current] + fallbacks {
            guard keys[key.id] == nil else { throw PayloadCodecError("two AES-GCM keys have the id \"\(key.id)\"") }
            keys[key.id] = key
        }
        self.current = current
        self.keys = keys
    }

    public func encode(_ value: JSONValue) throws -> JSONValue {
        let plaintext = Array(try JSONText.write(value).utf8)
        let sealed = try AES.GCM.seal(plaintext, using: current.key, authenticating: Self.associatedData(keyID: current.id))
        guard let combined = sealed.combined else { throw PayloadCodecError("AES-GCM produced no combined box") }
        return [
            "$inngest_codec": .string(Self.encodingName),
            "key": .string(current.id),
            "ciphertext": .string(combined.base64EncodedString()),
        ]
    }

    public func decode(_ value: JSONValue) throws -> JSONValue? {
        guard case .object(let members) = value, members.count == 3, members["$inngest_codec"]?.stringValue == Self.encodingName else {
            return nil
        }
        guard let keyID = members["key"]?.stringValue, let text = members["ciphertext"]?.stringValue else {
            throw PayloadCodecError("an aes-256-gcm value needs the string members \"key\" and \"ciphertext\"")
        }
        guard let key = keys[keyID] else {
            throw PayloadCodecError("the value was encrypted with the key \"\(keyID)\", which is not configured (keys: \(keys.keys.sorted().joined(separator: ", ")))")
        }
        guard let combined = Data(base64Encoded: text) else { throw PayloadCodecError("the ciphertext of an aes-256-gcm value is not valid base64") }
        let plaintext: Data
        do {
            plaintext = try AES.GCM.open(try AES.GCM.SealedBox(combined: combined), using: key.key, authenticating: Self.associatedData(keyID: keyID))
        } catch {
            throw PayloadCodecError("the aes-256-gcm value (key \"\(keyID)\") does not decrypt: it was damaged or sealed with another key of that id")
        }
        do {
            return try JSONText.read(Array(plaintext))
        } catch {
            throw PayloadCodecError("the decrypted aes-256-gcm value is not JSON: \(error)")
        }
    }

    private static func associatedData(keyID: String) -> Data {
        Data("inngest:\(encodingName):\(keyID)".utf8)
    }
}
