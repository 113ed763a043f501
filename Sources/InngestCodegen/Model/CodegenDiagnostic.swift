/// A problem found in the user's sources or inputs, reported at its position.
public struct CodegenDiagnostic: Codable, Hashable, Sendable, CustomStringConvertible {
    public enum Severity: String, Codable, Sendable {
        case error, warning
    }

    public var severity: Severity
    public var message: String
    /// `nil` for problems of an input as a whole (an unreadable config file).
    public var position: SourcePosition?

    public init(_ severity: Severity, _ message: String, at position: SourcePosition?) {
        self.severity = severity
        self.message = message
        self.position = position
    }

    public static func error(_ message: String, at position: SourcePosition?) -> CodegenDiagnostic {
        CodegenDiagnostic(.error, message, at: position)
    }

    public static func warning(_ message: String, at position: SourcePosition?) -> CodegenDiagnostic {
        CodegenDiagnostic(.warning, message, at: position)
    }

    /// `file:line:column: error: message`: the form SwiftPM shows at the source line.
    public var description: String {
        guard let position else { return "\(severity.rawValue): \(message)" }
        return "\(position.description): \(severity.rawValue): \(message)"
    }
}
