/// Stands in for the I/O a real step would do (an upload, an email API call), so the
/// timelines show step durations that are more than the engine's own overhead.
enum SimulatedWork {
    static func pause(milliseconds: Int) async throws {
        try await Task.sleep(for: .milliseconds(milliseconds))
    }
}
