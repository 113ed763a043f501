/// A problem found in the user's sources or inputs, reported at its position.
package struct CodegenDiagnostic: Codable, Hashable, Sendable, CustomStringConvertible {
    package enum Severity: String, Codable, Sendable {
        case error, warning
    }

    package var severity: Severity
    package var message: String
    /// `nil` for problems of an input as a whole (an unreadable config file).
    package var position: SourcePosition?

    package init(_ severity: Severity, _ message: String, at position: SourcePosition?) {
        self.severity = severity
        self.message = message
        self.position = position
    }

    package static func error(_ message: String, at position: SourcePosition?) -> CodegenDiagnostic {
        CodegenDiagnostic(.error, message, at: position)
    }

    package static func warning(_ message: String, at position: SourcePosition?) -> CodegenDiagnostic {
        CodegenDiagnostic(.warning, message, at: position)
    }

    /// `file:line:column: error: message`: the form SwiftPM shows at the source line.
    package var description: String {
        guard let position else { return "\(severity.rawValue): \(message)" }
        return "\(position.description): \(severity.rawValue): \(message)"
    }
}
