/// An event that breaks Inngest's event rules. Nothing of the send it came in was sent.
///
/// The event client and the embedded engine check every send with the same rules, so an
/// event one accepts the other accepts too.
public struct InvalidEvent: Error, Sendable, Hashable, CustomStringConvertible {
    /// What is wrong with the event or the send.
    public enum Problem: Sendable, Hashable {
        /// More events in one send than ``InngestLimits/maxEventsPerSend``.
        case tooManyEvents(count: Int, limit: Int)
        case emptyName
        /// Names starting with `inngest/` belong to Inngest.
        case reservedName(String)
        /// `ts` outside ``InngestLimits/timestamps``.
        case timestampOutOfRange(Int64)
        case userNotAnObject
        case dataNotAnObject
        /// Arrays and objects nested deeper than ``InngestLimits/maxEventNesting``.
        case nestedTooDeep(limit: Int)
        /// Larger than ``InngestLimits/maxEventBytes`` once encoded.
        case tooLarge(bytes: Int, limit: Int)
    }

    /// The event's position in its send; `nil` for a problem of the send as a whole.
    public let index: Int?
    /// What is wrong.
    public let problem: Problem

    /// - Parameters:
    ///   - index: The event's position in its send; `nil` for the send as a whole.
    ///   - problem: What is wrong.
    public init(index: Int?, problem: Problem) {
        self.index = index
        self.problem = problem
    }

    /// Whether the send is too big rather than malformed (HTTP 413 rather than 400).
    public var isTooLarge: Bool {
        switch problem {
        case .tooManyEvents, .tooLarge: return true
        default: return false
        }
    }

    public var description: String {
        let event = "event [\(index ?? 0)]"
        let limits = InngestLimits.timestamps
        let what: String
        switch problem {
        case .tooManyEvents(let count, let limit): what = "\(count) events exceed the limit of \(limit) per send"
        case .emptyName: what = "\(event) name \"\" is empty"
        case .reservedName(let name): what = "\(event) name \"\(name)\" is reserved for internal use (names starting with \"inngest/\")"
        case .timestampOutOfRange(let ts):
            what = "\(event) \"ts\" \(ts) is outside \(limits.lowerBound)...\(limits.upperBound) (milliseconds since the Unix epoch, up to the end of year 9999)"
        case .userNotAnObject: what = "\(event) \"user\" must be a JSON object"
        case .dataNotAnObject: what = "\(event) \"data\" must be a JSON object"
        case .nestedTooDeep(let limit): what = "\(event) nests arrays and objects deeper than \(limit) levels, the limit"
        case .tooLarge(let bytes, let limit): what = "\(event) is \(bytes) bytes, over the limit of \(limit) bytes"
        }
        return what + "; nothing was sent"
    }
}

extension AnyEvent {
    /// Checks a send against the event rules that need no encoding; the first problem wins.
    /// (The encoded size is checked by whoever encodes the event.)
    package static func check(_ events: [AnyEvent]) throws(InvalidEvent) {
        if events.count > InngestLimits.maxEventsPerSend {
            throw InvalidEvent(index: nil, problem: .tooManyEvents(count: events.count, limit: InngestLimits.maxEventsPerSend))
        }
        for (index, event) in events.enumerated() {
            if let problem = event.ruleProblem { throw InvalidEvent(index: index, problem: problem) }
        }
    }

    private var ruleProblem: InvalidEvent.Problem? {
        if name.isEmpty { return .emptyName }
        if name.lowercased().hasPrefix("inngest/") { return .reservedName(name) }
        if let ts, ts != 0, !InngestLimits.timestamps.contains(ts) { return .timestampOutOfRange(ts) }
        if let user, !user.isNull, user.objectValue == nil { return .userNotAnObject }
        let depth = InngestLimits.maxEventNesting - 1  // the event object is the first level
        if data.nests(deeperThan: depth) || user?.nests(deeperThan: depth) == true {
            return .nestedTooDeep(limit: InngestLimits.maxEventNesting)
        }
        switch data {
        case .null, .object: return nil
        default: return .dataNotAnObject
        }
    }
}
