/// HTTP header fields with case-insensitive names, in order, repeats allowed.
public struct HTTPHeaders: Sendable, Hashable, Sequence, ExpressibleByDictionaryLiteral, CustomStringConvertible {
    public private(set) var fields: [(name: String, value: String)] = []

    public init() {}

    public init(_ fields: [(String, String)]) {
        self.fields = fields.map { (name: $0.0, value: $0.1) }
    }

    public init(dictionaryLiteral elements: (String, String)...) {
        self.init(elements)
    }

    /// The first value of `name`, or `nil`. Setting replaces every field of that name
    /// (`nil` removes them).
    public subscript(name: String) -> String? {
        get { fields.first { $0.name.lowercased() == name.lowercased() }?.value }
        set {
            let lowered = name.lowercased()
            guard let newValue else {
                fields.removeAll { $0.name.lowercased() == lowered }
                return
            }
            if let index = fields.firstIndex(where: { $0.name.lowercased() == lowered }) {
                fields[index].value = newValue
                var next = index + 1
                while next < fields.count {
                    if fields[next].name.lowercased() == lowered { fields.remove(at: next) } else { next += 1 }
                }
            } else {
                fields.append((name: name, value: newValue))
            }
        }
    }

    /// Every value of `name`.
    public func values(_ name: String) -> [String] {
        fields.filter { $0.name.lowercased() == name.lowercased() }.map(\.value)
    }

    public mutating func add(_ name: String, _ value: String) {
        fields.append((name: name, value: value))
    }

    public func contains(_ name: String) -> Bool { self[name] != nil }

    public func makeIterator() -> IndexingIterator<[(name: String, value: String)]> { fields.makeIterator() }

    public static func == (lhs: HTTPHeaders, rhs: HTTPHeaders) -> Bool {
        lhs.fields.map { [$0.name.lowercased(), $0.value] } == rhs.fields.map { [$0.name.lowercased(), $0.value] }
    }

    public func hash(into hasher: inout Hasher) {
        for field in fields {
            hasher.combine(field.name.lowercased())
            hasher.combine(field.value)
        }
    }

    /// Names only: values may hold credentials.
    public var description: String { "HTTPHeaders(\(fields.map(\.name).joined(separator: ", ")))" }
}

/// Header names of the wire protocol.
package enum InngestHeader {
    package static let sdk = "X-Inngest-SDK"
    package static let requestVersion = "X-Inngest-Req-Version"
    package static let signature = "X-Inngest-Signature"
    package static let noRetry = "X-Inngest-No-Retry"
    package static let retryAfter = "Retry-After"
    package static let framework = "X-Inngest-Framework"
    package static let platform = "X-Inngest-Platform"
    package static let env = "X-Inngest-Env"
    package static let serverKind = "X-Inngest-Server-Kind"
    package static let expectedServerKind = "X-Inngest-Expected-Server-Kind"
    package static let syncKind = "X-Inngest-Sync-Kind"
    package static let runID = "X-Run-ID"
    package static let stepID = "X-Inngest-Step-ID"
    package static let eventIDSeed = "X-Inngest-Event-Id-Seed"
    package static let sdkHandled = "x-inngest-sdk-handled"
    package static let contentType = "Content-Type"
    package static let authorization = "Authorization"
    package static let userAgent = "User-Agent"
}
