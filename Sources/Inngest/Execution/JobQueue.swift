import Dispatch
import Synchronization

/// A serial task executor that tells when it has nothing left to run.
///
/// The replay driver runs a handler (and every child task it creates with `async let` or a
/// task group, which inherit the preference) on one of these. When the queue drains, every
/// task of the handler is suspended: either on a step the driver holds, or on something
/// outside (which will enqueue again when it resumes). That is how all parallel steps are
/// discovered in one pass without guessing with timeouts.
///
/// The embedded engine runs each run's handler on one too: its parallel branches then take
/// their repeat counters in a fixed order, and `onJob` lets it count work in flight.
package final class JobQueue: TaskExecutor, Sendable {
    private let queue: DispatchQueue
    private let scheduled = Mutex(0)
    private let onIdle: @Sendable () -> Void
    private let onJob: (@Sendable (_ started: Bool) -> Void)?

    /// - Parameters:
    ///   - onIdle: called on the queue each time it drains.
    ///   - onJob: called with `true` when a job is enqueued and `false` after it ran.
    package init(label: String, onJob: (@Sendable (_ started: Bool) -> Void)? = nil, onIdle: @escaping @Sendable () -> Void = {}) {
        // A queue of its own targets an overcommitting root queue, which starts a thread for
        // every queue with work: thousands of runs at once would start thousands of threads
        // and starve everything else (the HTTP server's event loops among them). The global
        // queue keeps to about one thread per core, and at utility QoS the jobs of runs yield
        // to request handling (default QoS): a burst of runs does not stall a server's API.
        self.queue = DispatchQueue(label: label, target: .global(qos: .utility))
        self.onJob = onJob
        self.onIdle = onIdle
    }

    package func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        scheduled.withLock { $0 += 1 }
        onJob?(true)
        queue.async {
            job.runSynchronously(on: self.asUnownedTaskExecutor())
            let idle = self.scheduled.withLock { count in
                count -= 1
                return count == 0
            }
            self.onJob?(false)
            if idle { self.onIdle() }
        }
    }
}
