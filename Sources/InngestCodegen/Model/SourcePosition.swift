/// A place in a source file, 1-based, as compilers print it.
public struct SourcePosition: Codable, Hashable, Sendable, Comparable {
    /// The path as passed to the generator (absolute when the plugin runs it).
    public var file: String
    public var line: Int
    public var column: Int

    public init(file: String, line: Int, column: Int) {
        self.file = file
        self.line = line
        self.column = column
    }

    public static func < (lhs: SourcePosition, rhs: SourcePosition) -> Bool {
        (lhs.file, lhs.line, lhs.column) < (rhs.file, rhs.line, rhs.column)
    }

    /// `file:line:column`, the prefix SwiftPM and editors turn into a link.
    public var description: String { "\(file):\(line):\(column)" }
}
