import Foundation

/// An Inngest event: a name, a payload and metadata.
///
/// `Payload` is the payload type; ``AnyEvent`` (`Event<JSONValue>`) is the untyped event.
/// The wire field names are Inngest's: `name`, `data`, `id`, `ts` (milliseconds since
/// the Unix epoch), `user`, `v`.
public struct Event<Payload: Codable & Sendable>: Codable, Sendable {
    /// The event name, e.g. `app/user.created`.
    public var name: String
    /// The payload.
    public var data: Payload
    /// The sender's id for the event, used by Inngest as an idempotency key (24 h).
    public var id: String?
    /// When the event happened, in milliseconds since the Unix epoch. A time in the
    /// future delays the runs it triggers until then.
    public var ts: Int64?
    /// Deprecated user information, kept for compatibility with other SDKs.
    public var user: JSONValue?
    /// A schema version label for the payload.
    public var v: String?

    /// An event from its fields.
    ///
    /// - Parameters:
    ///   - name: The event's name, e.g. `shop/order.placed`.
    ///   - data: Its payload.
    ///   - id: An id that makes sending idempotent for 24 hours.
    ///   - ts: When it happened, in milliseconds since the epoch; a future time delays the runs it starts.
    ///   - user: Data about the user it concerns.
    ///   - v: The payload's version.
    public init(name: String, data: Payload, id: String? = nil, ts: Int64? = nil, user: JSONValue? = nil, v: String? = nil) {
        self.name = name
        self.data = data
        self.id = id
        self.ts = ts
        self.user = user
        self.v = v
    }

    /// `ts` as a `Date`.
    public var timestamp: Date? {
        ts.map { Date(timeIntervalSince1970: Double($0) / 1_000) }
    }

    /// The same event with its payload as untyped JSON.
    public func erased() throws -> AnyEvent {
        AnyEvent(name: name, data: try JSONCodec.shared.jsonValue(of: data), id: id, ts: ts, user: user, v: v)
    }

    private enum CodingKeys: String, CodingKey { case name, data, id, ts, user, v }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        name = try container.decode(String.self, forKey: .name)
        // Inngest sends `{}` for an event without data; an absent `data` is treated the
        // same so that payload types with all-optional fields decode.
        if container.contains(.data), try !container.decodeNil(forKey: .data) {
            data = try container.decode(Payload.self, forKey: .data)
        } else {
            data = try JSONCodec.shared.decode(Payload.self, from: JSONValue.object([:]))
        }
        id = try container.decodeIfPresent(String.self, forKey: .id)
        ts = try container.decodeIfPresent(Int64.self, forKey: .ts)
        user = try container.decodeIfPresent(JSONValue.self, forKey: .user)
        v = try container.decodeIfPresent(String.self, forKey: .v)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(name, forKey: .name)
        try container.encode(data, forKey: .data)
        try container.encodeIfPresent(id, forKey: .id)
        try container.encodeIfPresent(ts, forKey: .ts)
        try container.encodeIfPresent(user, forKey: .user)
        try container.encodeIfPresent(v, forKey: .v)
    }
}

/// An event whose payload is untyped JSON.
public typealias AnyEvent = Event<JSONValue>

extension Event: Equatable where Payload: Equatable {}
extension Event: Hashable where Payload: Hashable {}

extension Event where Payload: EventPayload {
    /// An event named after its payload type.
    ///
    /// - Parameters:
    ///   - data: The payload, whose type names the event.
    ///   - id: An id that makes sending idempotent for 24 hours.
    ///   - ts: When it happened, in milliseconds since the epoch.
    ///   - v: The payload's version.
    public init(_ data: Payload, id: String? = nil, ts: Int64? = nil, v: String? = nil) {
        self.init(name: Payload.eventName, data: data, id: id, ts: ts, v: v)
    }
}

extension Event where Payload == JSONValue {
    /// An untyped event; `data` defaults to `{}` as Inngest expects.
    ///
    /// - Parameters:
    ///   - name: The event's name.
    ///   - data: Its payload, a JSON object.
    ///   - id: An id that makes sending idempotent for 24 hours.
    ///   - ts: When it happened, in milliseconds since the epoch.
    public init(name: String, data: JSONValue = [:], id: String? = nil, ts: Int64? = nil) {
        self.init(name: name, data: data, id: id, ts: ts, user: nil, v: nil)
    }
}
