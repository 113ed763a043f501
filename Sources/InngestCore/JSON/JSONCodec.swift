import Foundation

/// The one JSON codec every value passes through: step results (also the ones
/// just computed, so a value never skips it), event payloads, invoke inputs and
/// outputs, and wire bodies.
///
/// Strategies, chosen to match what JavaScript's `JSON.stringify` produces, so
/// that Swift, TypeScript and Python functions read each other's values:
/// - `Date` is an ISO-8601 string in UTC with milliseconds
///   (`"2026-06-01T09:00:00.000Z"`, like `Date.prototype.toJSON`). Decoding also
///   accepts ISO-8601 without fractional seconds or with a time-zone offset.
/// - `Data` is a base64 string.
/// - Keys are written as the `Codable` conformance names them (no case conversion)
///   and sorted, so the same value always gives the same bytes.
/// - Non-finite numbers (`.nan`, `.infinity`) are an encoding error: JSON has none.
/// - `/` is not escaped.
public struct JSONCodec: Sendable {
    /// The codec with the strategies above.
    public static let shared = JSONCodec()

    /// A codec; ``shared`` serves everywhere.
    public init() {}

    /// Encodes `value` as JSON text.
    ///
    /// - Parameter value: The value to encode.
    /// - Returns: Its JSON text, as UTF-8.
    /// - Throws: The encoder's error for a value that cannot be encoded.
    public func encode<Value: Encodable>(_ value: Value) throws -> Data {
        if let json = value as? JSONValue { return Data(try JSONText.write(json).utf8) }
        if let tree = value as? any JSONTreeConvertible { return Data(try JSONText.write(tree.jsonTree()).utf8) }
        return try Self.makeEncoder().encode(value)
    }

    /// Encodes `value` as a JSON string.
    ///
    /// - Parameter value: The value to encode.
    /// - Returns: Its JSON text.
    /// - Throws: The encoder's error for a value that cannot be encoded.
    public func encodeToString<Value: Encodable>(_ value: Value) throws -> String {
        if let json = value as? JSONValue { return try JSONText.write(json) }
        if let tree = value as? any JSONTreeConvertible { return try JSONText.write(tree.jsonTree()) }
        return String(decoding: try encode(value), as: UTF8.self)
    }

    /// Decodes a value of `type` from JSON text.
    ///
    /// - Parameters:
    ///   - type: The type to decode.
    ///   - data: The JSON text, as UTF-8.
    /// - Returns: The decoded value.
    /// - Throws: The decoder's error for text that does not decode as `type`.
    public func decode<Value: Decodable>(_ type: Value.Type, from data: Data) throws -> Value {
        if type == JSONValue.self, let json = try JSONText.read(data) as? Value { return json }
        if let treeType = type as? any JSONTreeConvertible.Type, let value = try treeType.init(jsonTree: JSONText.read(data)) as? Value {
            return value
        }
        return try Self.makeDecoder().decode(type, from: data)
    }

    /// Converts any encodable value to a ``JSONValue`` through the encoder, exactly as
    /// it would travel on the wire.
    ///
    /// - Parameter value: The value to convert.
    /// - Returns: The value as JSON.
    /// - Throws: The encoder's error for a value that cannot be encoded.
    public func jsonValue<Value: Encodable>(of value: Value) throws -> JSONValue {
        if let json = value as? JSONValue { return json }
        if let tree = value as? any JSONTreeConvertible { return tree.jsonTree() }
        return try JSONText.read(encode(value))
    }

    /// Decodes a typed value from a ``JSONValue`` through the decoder.
    ///
    /// - Parameters:
    ///   - type: The type to decode.
    ///   - json: The JSON value.
    /// - Returns: The decoded value.
    /// - Throws: The decoder's error for JSON that does not decode as `type`.
    public func decode<Value: Decodable>(_ type: Value.Type, from json: JSONValue) throws -> Value {
        if let same = json as? Value { return same }
        if let treeType = type as? any JSONTreeConvertible.Type, let value = try treeType.init(jsonTree: json) as? Value { return value }
        return try Self.makeDecoder().decode(type, from: Data(try JSONText.write(json).utf8))
    }

    // Encoders are cheap to create and not documented as thread-safe to share.
    private static func makeEncoder() -> JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .custom { date, encoder in
            var container = encoder.singleValueContainer()
            try container.encode(ISO8601Timestamp.string(from: date))
        }
        encoder.dataEncodingStrategy = .base64
        encoder.nonConformingFloatEncodingStrategy = .throw
        return encoder
    }

    private static func makeDecoder() -> JSONDecoder {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .custom { decoder in
            let container = try decoder.singleValueContainer()
            let text = try container.decode(String.self)
            guard let date = ISO8601Timestamp.date(from: text) else {
                throw DecodingError.dataCorruptedError(
                    in: container, debugDescription: "Expected an ISO-8601 date, found \"\(text)\".")
            }
            return date
        }
        decoder.dataDecodingStrategy = .base64
        return decoder
    }
}

/// ISO-8601 timestamps as JavaScript writes them (`2026-06-01T09:00:00.000Z`).
public enum ISO8601Timestamp {
    private static let withMilliseconds = Date.ISO8601FormatStyle(includingFractionalSeconds: true, timeZone: .gmt)
    private static let withoutFraction = Date.ISO8601FormatStyle(timeZone: .gmt)

    /// UTC with exactly three fractional digits.
    public static func string(from date: Date) -> String {
        date.formatted(withMilliseconds)
    }

    /// Parses ISO-8601 with or without fractional seconds, with `Z` or an offset.
    public static func date(from text: String) -> Date? {
        if let date = try? withMilliseconds.parse(text) { return date }
        if let date = try? withoutFraction.parse(text) { return date }
        return nil
    }
}
