/// Encodes values before they are stored or sent and decodes them when they are read (as
/// Temporal's `PayloadCodec`): with ``PayloadCodecMiddleware``, the database and the Inngest
/// server hold only what ``encode(_:)`` made of step outputs, run outputs and event data.
///
/// ``AESGCMPayloadCodec`` encrypts; a codec could as well compress, or move large values
/// elsewhere and store a reference.
public protocol PayloadCodec: Sendable {
    /// The value as it is stored. It must be JSON that ``decode(_:)`` recognizes as its own.
    func encode(_ value: JSONValue) throws -> JSONValue

    /// The value ``encode(_:)`` was given, if `value` is one of this codec's encodings; `nil`
    /// for any other value (stored before the codec was in use, or an ordinary member).
    /// Throws when `value` is this codec's encoding but cannot be decoded (an unknown key, a
    /// damaged value).
    func decode(_ value: JSONValue) throws -> JSONValue?
}

/// A value a ``PayloadCodec`` could not decode or encode.
public struct PayloadCodecError: Error, Sendable, Hashable, CustomStringConvertible {
    public let message: String

    public init(_ message: String) {
        self.message = message
    }

    public var description: String { message }
}
