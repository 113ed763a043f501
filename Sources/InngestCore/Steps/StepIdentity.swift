/// A step's ids: the id the user wrote, its repeat index and the hashed wire id.
///
/// Inngest hashes the UTF-8 bytes of the id with SHA-1 (lowercase hex). The n-th reuse
/// of an id in one execution (n ≥ 1) hashes `"<id>:<n>"`; the counter is per user id and
/// shared by every kind of step, so `sleep("x")` after `run("x")` is `x:1`.
package struct StepIdentity: Sendable, Hashable, CustomStringConvertible {
    /// The id as the user wrote it.
    package let userID: String
    /// How many times the id was used before in this execution.
    package let index: Int
    /// The 40-hex SHA-1 of ``preHashID``.
    package let hashedID: String

    package init(userID: String, index: Int) {
        self.userID = userID
        self.index = index
        self.hashedID = Self.hash(index == 0 ? userID : "\(userID):\(index)")
    }

    /// An identity whose hash another SDK computed and reported (the engine driving an app
    /// over HTTP receives hashed ids, with the user id and index when the SDK sends them).
    package init(hashedID: String, userID: String, index: Int) {
        self.userID = userID
        self.index = index
        self.hashedID = hashedID
    }

    /// What is hashed: the user id, with `:<index>` for a repeat.
    package var preHashID: String { index == 0 ? userID : "\(userID):\(index)" }

    /// Lowercase hex SHA-1 of the UTF-8 bytes of `text`.
    package static func hash(_ text: String) -> String { SHA1.hex(of: text) }

    package var description: String { index == 0 ? "\"\(userID)\"" : "\"\(userID)\" (repeat \(index))" }
}
