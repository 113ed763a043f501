import Testing

extension Tag {
    /// A worker process killed mid-run; the engine must resume from what is on disk.
    @Tag static var crashRecovery: Self
}
