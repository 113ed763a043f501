import Foundation
import InngestCore

/// How an ``ExportType`` is written in Python (3.10+, pydantic 2).
enum PythonType {
    static let spelling = TypeSpelling(
        string: "str", integer: "int", number: "float", boolean: "bool", null: "None", json: "pydantic.JsonValue",
        array: { element, _ in "list[\(element)]" },
        map: { value in "dict[str, \(value)]" },
        literal: { value in
            switch value {
            case .string(let text): return ExportNames.literal(text)
            case .integer(let number): return String(number)
            case .bool(let flag): return flag ? "True" : "False"
            case .null: return "None"
            default: return nil
            }
        },
        literals: { values in values == ["None"] ? "None" : "typing.Literal[\(values.joined(separator: ", "))]" },
        literalsNote: "enum or const values that typing.Literal cannot hold")

    /// The annotation, and the notes of its parts that are any JSON because their schema was
    /// not mapped.
    static func spell(_ type: ExportType) -> (String, [String]) {
        let spelled = spelling.spell(type)
        return (spelled.text, spelled.notes)
    }

    /// `  # any JSON: …` for the end of a line, or nothing.
    static func comment(_ notes: [String]) -> String {
        notes.isEmpty ? "" : "  # any JSON: " + ExportNames.commentText(notes.joined(separator: "; "))
    }

    /// Text for a one-line docstring: backslashes and quotes escaped.
    static func docstring(_ text: String) -> String {
        ExportNames.commentText(text).replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
    }
}
