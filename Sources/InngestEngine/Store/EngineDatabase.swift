import Foundation
import GRDB
import Inngest

/// The engine's SQLite file: WAL mode, full fsync on commit, schema migrated on open.
/// The path `:memory:` keeps everything in memory instead (nothing survives the process).
final class EngineDatabase: Sendable {
    static let inMemoryPath = ":memory:"

    let pool: any DatabaseWriter
    let writer: GroupCommitWriter
    let path: String
    /// Damage found in the write-ahead log before SQLite recovered it, and where a copy of
    /// that log was kept (`nil` if it could not be copied).
    let damagedLog: (damage: WriteAheadLogDamage, copy: String?)?

    /// - Parameter onCommit: told the number of writes of each transaction that committed.
    init(path: String, onCommit: @escaping @Sendable (Int) -> Void = { _ in }) throws {
        self.path = path
        if path == Self.inMemoryPath {
            let queue = try DatabaseQueue()
            try Schema.migrator().migrate(queue)
            pool = queue
            writer = GroupCommitWriter(pool: queue, onCommit: onCommit)
            damagedLog = nil
            return
        }
        let directory = URL(fileURLWithPath: path).deletingLastPathComponent()
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        // Before SQLite opens the file: its recovery drops what follows a damaged frame and
        // later overwrites the log. The copy keeps those transactions for whoever can salvage them.
        damagedLog = WriteAheadLogDamage.inspect(logAt: path + "-wal").map { damage in
            let copy = "\(path)-wal.damaged-\(Int64(Date().timeIntervalSince1970 * 1_000))"
            return (damage, (try? FileManager.default.copyItem(atPath: path + "-wal", toPath: copy)) == nil ? nil : copy)
        }
        var configuration = Configuration()
        configuration.prepareDatabase { database in
            // FULL: a commit is on disk when it returns, so "accepted" survives power loss, not just kill -9.
            try database.executeCached(sql: "PRAGMA synchronous = FULL")
            try database.executeCached(sql: "PRAGMA foreign_keys = OFF")
        }
        configuration.busyMode = .timeout(10)
        let filePool = try DatabasePool(path: path, configuration: configuration)
        try filePool.writeWithoutTransaction { database in
            // Again on the writer: a pool switches it to WAL mode after `prepareDatabase` ran,
            // and sets `synchronous = NORMAL` with it (commits not fsynced).
            try database.execute(sql: "PRAGMA synchronous = FULL")
            // Only a file without tables can change its vacuum mode; a new file gives deleted
            // history's pages back to the file system (`PRAGMA incremental_vacuum` after each
            // retention pass). An older file reuses them for new rows instead.
            // (WAL mode has written the header already: the change takes a VACUUM, instant on an empty file.)
            if try Int.fetchOne(database, sql: "SELECT COUNT(*) FROM sqlite_master") == 0 {
                try database.execute(sql: "PRAGMA auto_vacuum = INCREMENTAL")
                try database.execute(sql: "VACUUM")
            }
        }
        try Schema.migrator().migrate(filePool)
        pool = filePool
        writer = GroupCommitWriter(pool: filePool, onCommit: onCommit)
    }

    /// Opens a file an engine may be writing, for reading only: no lock, no migration.
    static func reader(path: String) throws -> any DatabaseReader {
        guard FileManager.default.fileExists(atPath: path) else { throw EngineError.noDatabase(path: path) }
        var configuration = Configuration()
        configuration.readonly = true
        configuration.busyMode = .timeout(10)
        do {
            return try DatabasePool(path: path, configuration: configuration)
        } catch {
            // A WAL file no engine has open has no `-shm` file, which a read-only pool cannot create.
            return try DatabaseQueue(path: path, configuration: configuration)
        }
    }

    func write<T: Sendable>(_ operation: @escaping @Sendable (Database) throws -> T) async throws -> T {
        try await writer.write(operation)
    }

    func read<T: Sendable>(_ operation: @escaping @Sendable (Database) throws -> T) async throws -> T {
        try await pool.read(operation)
    }
}

/// JSON in TEXT columns, through the one codec.
enum StoredJSON {
    static func text<Value: Encodable>(_ value: Value) throws -> String {
        try JSONCodec.shared.encodeToString(value)
    }

    static func value<Value: Decodable>(_ type: Value.Type, from text: String?) throws -> Value? {
        guard let text else { return nil }
        return try JSONCodec.shared.decode(type, from: Data(text.utf8))
    }
}
