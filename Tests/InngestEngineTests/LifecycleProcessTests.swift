import Foundation
import Inngest
import InngestEngine
import Testing

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Graceful shutdown and the writer lock across processes: a worker (`InngestCrashWorker
/// serve`) runs the engine in a `ServiceGroup` and gets SIGTERM in the middle of 100 runs.
@Suite(.tags(.crashRecovery)) struct LifecycleProcessTests {
    @Test(.timeLimit(.minutes(3)))
    func sigtermInTheMiddleOf100RunsLosesNothingAndRunsNoStepBodyTwice() async throws {
        let worker = try CrashRecoveryTests.workerURL()
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("inngest-sigterm-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let database = directory.appendingPathComponent("engine.sqlite").path
        let stepLog = directory.appendingPathComponent("steps.log").path
        let runs = 100
        // A `ran` and a `saw` line per step of 100 parents (20 steps) and their children (3).
        let totalLines = 2 * runs * (CrashRecoveryTests.mainSteps.count + CrashRecoveryTests.childSteps.count)

        let serving = try WorkerLaunch(worker, arguments: ["serve", database, stepLog, String(runs)], in: directory, number: 1)
        defer { serving.killIfRunning() }
        let clock = ContinuousClock()
        let started = clock.now
        while !(serving.hasSentAll && CrashRecoveryTests.fileSize(stepLog) / CrashRecoveryTests.logLineBytes >= totalLines / 10) {
            try #require(serving.isRunning, "the worker exited: \(serving.status)\n\(serving.errors)")
            try #require(clock.now - started < .seconds(60), "the worker did not get going:\n\(serving.output)\n\(serving.errors)")
            try await Task.sleep(for: .milliseconds(2))
        }

        // While it runs, another engine cannot open the file (the error names the worker),
        // and a reader can.
        #expect(throws: EngineError.databaseInUse(path: database, holderPID: serving.process.processIdentifier)) {
            try Engine(appID: "crash-app", databasePath: database, functions: [])
        }
        #expect(try await EngineReader(databasePath: database).runCount(function: "crash-steps") == runs)

        serving.terminate()
        await serving.waitForExit()
        try #require(serving.exitedCleanly && serving.hasStopped, "after SIGTERM: \(serving.status)\n\(serving.output)\n\(serving.errors)")
        let reader = try EngineReader(databasePath: database)
        let unfinished = try await reader.runs(limit: 10_000).filter { $0.status != .completed }.count
        try #require(unfinished > 0, "every run had finished before SIGTERM: the test shut nothing down mid-run")
        let loggedAtStop = CrashRecoveryTests.fileSize(stepLog) / CrashRecoveryTests.logLineBytes

        let resumed = try WorkerLaunch(worker, arguments: ["resume", database, stepLog], in: directory, number: 2)
        defer { resumed.killIfRunning() }
        while resumed.isRunning {
            if clock.now - started > .seconds(150) {
                Issue.record("the resumed worker did not finish:\n\(resumed.output)\n\(resumed.errors)")
                return
            }
            try await Task.sleep(for: .milliseconds(5))
        }
        try #require(resumed.exitedCleanly && resumed.isDone, "resume: \(resumed.status)\n\(resumed.errors)")

        let report = try await CrashRecoveryTests.verify(database: database, stepLog: stepLog, accepted: serving.acceptedIDs)
        #expect(report.runs == 2 * runs)
        #expect(report.reruns == 0, "a graceful shutdown lets each body in flight finish and records it: none may run twice")
        print(
            "SIGTERM after \(loggedAtStop) of \(totalLines) step log lines, \(unfinished) runs unfinished; "
                + "after the restart \(report.runs) runs completed, \(report.bodies) step bodies ran, \(report.reruns) twice")
        try? FileManager.default.removeItem(at: directory)
    }
}
