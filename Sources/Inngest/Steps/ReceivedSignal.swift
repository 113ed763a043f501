/// A signal as `step.waitForSignal` returns it: its name and the data it was sent with.
///
/// The recorded shape is Inngest's, `{"signal": …, "data": …}`; a signal sent without data
/// has `null` data (read it as an optional `Payload`).
public struct ReceivedSignal<Payload: Codable & Sendable>: Codable, Sendable {
    /// The signal's name, as the wait named it.
    public var signal: String
    /// What the sender sent with it.
    public var data: Payload

    /// - Parameters:
    ///   - signal: The signal's name.
    ///   - data: Its data.
    public init(signal: String, data: Payload) {
        self.signal = signal
        self.data = data
    }
}

extension ReceivedSignal: Equatable where Payload: Equatable {}
extension ReceivedSignal: Hashable where Payload: Hashable {}
