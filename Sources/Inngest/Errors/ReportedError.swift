/// An error another SDK reported over the wire, kept as it was reported: its own name and
/// message, and the retry decision that came with it (`X-Inngest-No-Retry`, `Retry-After`).
///
/// The engine throws it when it drives an app over HTTP, so a run of a Python or TypeScript
/// function fails with that function's error, and retries as its SDK asked.
package struct ReportedError: Error, Sendable, CustomStringConvertible {
    package let error: SerializedError
    package let retriability: Retriability

    package init(_ error: SerializedError, retriability: Retriability) {
        self.error = error
        self.retriability = retriability
    }

    package var description: String { error.description }
}
