/// Who shares a concurrency limit.
public enum ConcurrencyScope: String, Sendable, Hashable, Codable {
    /// Each function has its own limit (per key, when a key is given).
    case fn
    /// Every function in the environment with the same key shares the limit.
    case env
    /// Every function in the account with the same key shares the limit.
    case account
}

/// One limit on how many steps of a function execute at once, optionally per key.
public struct ConcurrencyLimit: Sendable, Hashable, Codable {
    /// How many steps may execute at once.
    public var limit: Int
    /// A CEL expression over `event`; each distinct value gets its own limit.
    public var key: String?
    /// Who shares the limit.
    public var scope: ConcurrencyScope

    /// - Parameters:
    ///   - limit: How many steps may execute at once.
    ///   - key: A CEL expression over `event`; each distinct value gets its own limit.
    ///   - scope: Who shares the limit.
    public init(limit: Int, key: String? = nil, scope: ConcurrencyScope = .fn) {
        self.limit = limit
        self.key = key
        self.scope = scope
    }

    /// One limit, as in `[.limit(10), .limit(1, key: "event.data.user_id")]`.
    ///
    /// - Parameters:
    ///   - limit: How many steps may execute at once.
    ///   - key: A CEL expression over `event`; each distinct value gets its own limit.
    ///   - scope: Who shares the limit.
    /// - Returns: The limit.
    public static func limit(_ limit: Int, key: String? = nil, scope: ConcurrencyScope = .fn) -> ConcurrencyLimit {
        ConcurrencyLimit(limit: limit, key: key, scope: scope)
    }

    private enum CodingKeys: String, CodingKey { case limit, key, scope }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        limit = try container.decode(Int.self, forKey: .limit)
        key = try container.decodeIfPresent(String.self, forKey: .key)
        scope = try container.decodeIfPresent(ConcurrencyScope.self, forKey: .scope) ?? .fn
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(limit, forKey: .limit)
        try container.encodeIfPresent(key, forKey: .key)
        // `fn` is the server's default; leaving it out keeps payloads like the other SDKs'.
        if scope != .fn { try container.encode(scope, forKey: .scope) }
    }
}

/// Up to two concurrency limits. Write `concurrency: 10`, `concurrency: .limit(10, key: "event.data.user_id")`
/// or `concurrency: [.limit(10), .limit(1, key: "event.data.user_id")]`.
///
/// Inngest limits concurrently *executing steps*, not runs: a run parked in a sleep or a
/// wait does not hold a slot.
public struct Concurrency: Sendable, Hashable, ExpressibleByIntegerLiteral, ExpressibleByArrayLiteral {
    /// The limits, at most two.
    public var limits: [ConcurrencyLimit]

    /// - Parameter limits: The limits, at most two.
    public init(_ limits: [ConcurrencyLimit]) { self.limits = limits }
    /// One limit for the whole function: `concurrency: 10`.
    public init(integerLiteral value: Int) { limits = [ConcurrencyLimit(limit: value)] }
    /// Several limits: `concurrency: [.limit(10), .limit(1, key: "event.data.user_id")]`.
    public init(arrayLiteral elements: ConcurrencyLimit...) { limits = elements }

    /// One limit, as in `concurrency: .limit(10, key: "event.data.user_id")`.
    ///
    /// - Parameters:
    ///   - limit: How many steps may execute at once.
    ///   - key: A CEL expression over `event`; each distinct value gets its own limit.
    ///   - scope: Who shares the limit.
    /// - Returns: The concurrency option.
    public static func limit(_ limit: Int, key: String? = nil, scope: ConcurrencyScope = .fn) -> Concurrency {
        Concurrency([ConcurrencyLimit(limit: limit, key: key, scope: scope)])
    }
}

extension Concurrency: Codable {
    /// Accepts every shape the server accepts: a number, one object, or an array of objects.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if let limit = try? container.decode(Int.self) {
            limits = [ConcurrencyLimit(limit: limit)]
        } else if let one = try? container.decode(ConcurrencyLimit.self) {
            limits = [one]
        } else {
            limits = try container.decode([ConcurrencyLimit].self)
        }
    }

    /// Always an array of objects, the form every Inngest server version reads.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(limits)
    }
}
