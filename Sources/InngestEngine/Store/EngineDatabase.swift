import Foundation
import GRDB
import Inngest

/// The engine's SQLite file: WAL mode, full fsync on commit, schema migrated on open.
/// The path `:memory:` keeps everything in memory instead (nothing survives the process).
final class EngineDatabase: Sendable {
    static let inMemoryPath = ":memory:"

    let pool: any DatabaseWriter
    let writer: GroupCommitWriter

    init(path: String) throws {
        if path == Self.inMemoryPath {
            let queue = try DatabaseQueue()
            try Schema.migrator().migrate(queue)
            pool = queue
            writer = GroupCommitWriter(pool: queue)
            return
        }
        let directory = URL(fileURLWithPath: path).deletingLastPathComponent()
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        var configuration = Configuration()
        configuration.prepareDatabase { database in
            // FULL: a commit is on disk when it returns, so "accepted" survives power loss, not just kill -9.
            try database.executeCached(sql: "PRAGMA synchronous = FULL")
            try database.executeCached(sql: "PRAGMA foreign_keys = OFF")
        }
        configuration.busyMode = .timeout(10)
        let filePool = try DatabasePool(path: path, configuration: configuration)
        try Schema.migrator().migrate(filePool)
        pool = filePool
        writer = GroupCommitWriter(pool: filePool)
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
