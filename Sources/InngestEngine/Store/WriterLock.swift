import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// The claim of one engine to write a database file: an exclusive `flock` on `<file>-engine.lock`,
/// which holds the holder's process id.
///
/// Two engines on one file would both resume every unfinished run and run the same steps
/// twice, so the second fails at once. `flock` belongs to the open file, not the process: a
/// second engine in the same process is refused too, and the kernel releases the lock when
/// the holder exits, however it exits (no stale lock after a crash).
final class WriterLock: Sendable {
    let path: String
    private let descriptor: Int32

    /// Takes the lock of the database at `databasePath`, or throws
    /// ``EngineError/databaseInUse(path:holderPID:)`` naming the process that holds it.
    init(databasePath: String) throws {
        let path = databasePath + "-engine.lock"
        let directory = URL(fileURLWithPath: databasePath).deletingLastPathComponent()
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let descriptor = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else {
            throw EngineError.lockUnavailable(path: path, reason: String(cString: strerror(errno)))
        }
        guard flock(descriptor, LOCK_EX | LOCK_NB) == 0 else {
            let failure = errno
            let holder = Self.readPID(descriptor)
            close(descriptor)
            if failure == EWOULDBLOCK { throw EngineError.databaseInUse(path: databasePath, holderPID: holder) }
            throw EngineError.lockUnavailable(path: path, reason: String(cString: strerror(failure)))
        }
        // Holding the lock: record who holds it, for the error the next opener gets.
        let pid = Array("\(getpid())\n".utf8)
        _ = ftruncate(descriptor, 0)
        _ = pid.withUnsafeBytes { pwrite(descriptor, $0.baseAddress, $0.count, 0) }
        self.path = path
        self.descriptor = descriptor
    }

    deinit {
        // Closing the last descriptor of the open file releases the lock.
        close(descriptor)
    }

    private static func readPID(_ descriptor: Int32) -> Int32? {
        var buffer = [UInt8](repeating: 0, count: 32)
        let count = buffer.withUnsafeMutableBytes { pread(descriptor, $0.baseAddress, $0.count, 0) }
        guard count > 0 else { return nil }
        let text = String(decoding: buffer[0..<count], as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        return Int32(text)
    }
}
