/// A payload type tied to the name of the event that carries it.
///
/// ```swift
/// struct UserSignedUp: EventPayload {
///     static let eventName = "app/user.signup"
///     var userID: String
/// }
/// ```
/// A typed trigger (`.event(UserSignedUp.self)`), a typed wait and ``Event/init(_:id:ts:v:)``
/// take the name from here, so it is written once.
public protocol EventPayload: Codable, Sendable {
    /// The name of the event that carries this payload, e.g. `app/user.signup`.
    static var eventName: String { get }
}
