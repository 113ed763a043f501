/// Applies a ``PayloadCodec`` to everything a function stores or sends: step outputs, the
/// run's output, the data of sent events and of invokes. Reading, it decodes every encoded
/// value it finds, wherever it is nested (a `waitForEvent`'s event, the original event inside
/// `inngest/function.failed`, an invoked function's output), so values stored in clear
/// before the codec was added still read.
///
/// A value the codec cannot decode fails the run, naming the step (or the run's events), and
/// nothing else: other runs go on.
///
/// Event data is what trigger conditions, `match`, `cancelOn` and flow-control keys read. Encode
/// only some members (``EventData/members(_:)``) to keep the others readable there.
public struct PayloadCodecMiddleware: InngestMiddleware {
    /// Which part of a sent event's `data` is encoded.
    public enum EventData: Sendable, Hashable {
        /// The whole `data` object becomes the codec's encoding.
        case all
        /// Only these top-level members of `data` are encoded, each on its own.
        case members(Set<String>)
        /// Event data stays as it is.
        case none
    }

    public let codec: any PayloadCodec
    public let eventData: EventData

    public init(codec: any PayloadCodec, eventData: EventData = .all) {
        self.codec = codec
        self.eventData = eventData
    }

    public func transformInput(_ events: [AnyEvent], of run: RunInfo) async throws -> [AnyEvent] {
        do {
            return try events.map { event in
                var event = event
                event.data = try decodeData(event.data)
                return event
            }
        } catch {
            throw NonRetriableError("the run's events could not be decoded: \(error)")
        }
    }

    public func wrapStep(_ step: StepInfo, next: @Sendable () async throws -> JSONValue) async throws -> JSONValue {
        try codec.encode(try await next())
    }

    public func transformStepOutput(_ output: JSONValue, of step: StepInfo) async throws -> JSONValue {
        do {
            return try decodeAll(in: output)
        } catch {
            throw NonRetriableError("step \"\(step.id)\": its recorded output could not be decoded: \(error)")
        }
    }

    public func transformStepInput(_ input: JSONValue, of step: StepInfo) async throws -> JSONValue {
        try encodeData(input)
    }

    public func transformOutput(_ output: JSONValue, of run: RunInfo) async throws -> JSONValue {
        try codec.encode(output)
    }

    public func transformSentEvents(_ events: [AnyEvent]) async throws -> [AnyEvent] {
        try events.map { event in
            var event = event
            event.data = try encodeData(event.data)
            return event
        }
    }

    /// Event data as ``eventData`` says; an encoding of the whole data is an object too, as
    /// Inngest requires of `data`.
    private func encodeData(_ data: JSONValue) throws -> JSONValue {
        switch eventData {
        case .none:
            return data
        case .all:
            if case .object(let members) = data, members.isEmpty { return data }
            return try codec.encode(data)
        case .members(let names):
            guard case .object(var members) = data else { return data }
            for name in names {
                if let value = members[name] { members[name] = try codec.encode(value) }
            }
            return .object(members)
        }
    }

    /// Event data decoded. Inngest adds its metadata (`_inngest`) beside the members of an
    /// invoked run's data, so it is set aside while the rest is decoded, then put back.
    private func decodeData(_ data: JSONValue) throws -> JSONValue {
        guard case .object(var members) = data, let metadata = members.removeValue(forKey: "_inngest") else { return try decodeAll(in: data) }
        guard case .object(var decoded) = try decodeAll(in: .object(members)) else { return data }
        decoded["_inngest"] = metadata
        return .object(decoded)
    }

    /// `value` with every encoding of the codec in it decoded.
    private func decodeAll(in value: JSONValue) throws -> JSONValue {
        if let decoded = try codec.decode(value) { return decoded }
        switch value {
        case .object(let members): return .object(try members.mapValues(decodeAll(in:)))
        case .array(let elements): return .array(try elements.map(decodeAll(in:)))
        default: return value
        }
    }
}
