import Foundation
import Inngest

/// Which runs a listing shows or a bulk cancellation ends. Every field narrows; an empty
/// filter matches every run.
public struct RunFilter: Sendable, Hashable {
    /// Any of these statuses; empty: any status.
    public var statuses: Set<RunStatus>
    /// Any of these functions, by the id runs name them with (``RunSummary/functionID``:
    /// an own function's id, or a synced app's composite id); empty: any function.
    public var functionIDs: Set<String>
    /// Created at or after this time.
    public var createdAfter: Date?
    /// Created before this time.
    public var createdBefore: Date?
    /// Started by an event of this name.
    public var eventName: String?

    /// A filter; every field given narrows it.
    ///
    /// - Parameters:
    ///   - statuses: Any of these statuses; any status when empty.
    ///   - functionIDs: Any of these functions; any function when empty.
    ///   - createdAfter: Created at or after this time.
    ///   - createdBefore: Created before this time.
    ///   - eventName: Started by an event of this name.
    public init(
        statuses: Set<RunStatus> = [], functionIDs: Set<String> = [], createdAfter: Date? = nil, createdBefore: Date? = nil,
        eventName: String? = nil
    ) {
        self.statuses = statuses
        self.functionIDs = functionIDs
        self.createdAfter = createdAfter
        self.createdBefore = createdBefore
        self.eventName = eventName
    }
}

/// One page of a listing, newest first, with the cursor of the next (older) page.
public struct Page<Item: Sendable & Hashable>: Sendable, Hashable {
    /// The page's items, newest first.
    public let items: [Item]
    /// Pass as `after:` for the next page; `nil` on the last page.
    public let nextCursor: String?
}

/// A cursor that is not one a page gave out.
public struct InvalidCursor: Error, Sendable, Hashable, CustomStringConvertible {
    /// The cursor given.
    public let cursor: String
    public var description: String { "the cursor \"\(cursor)\" is not one a page gave; pass a page's next cursor, or none for the first page" }
}

extension Page {
    /// The largest page a listing gives.
    public static var maxSize: Int { 500 }
}
