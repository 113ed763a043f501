import InngestCore

/// How an ``ExportType`` is written in TypeScript.
enum TypeScriptType {
    static let spelling = TypeSpelling(
        string: "string", integer: "number", number: "number", boolean: "boolean", null: "null", json: "JsonValue",
        array: { element, isUnion in isUnion ? "Array<\(element)>" : "\(element)[]" },
        map: { value in "{ [key: string]: \(value) }" },
        literal: { value in
            switch value {
            case .string(let text): return ExportNames.literal(text)
            case .integer(let number): return String(number)
            case .double(let number) where number.isFinite: return "\(number)"
            case .bool(let flag): return flag ? "true" : "false"
            case .null: return "null"
            default: return nil
            }
        },
        literals: { values in values.joined(separator: " | ") },
        literalsNote: "enum or const values that are objects or arrays")

    /// The type, and the notes of its parts that are any JSON because their schema was not
    /// mapped.
    static func spell(_ type: ExportType) -> (String, [String]) {
        let spelled = spelling.spell(type)
        return (spelled.text, spelled.notes)
    }

    /// `JsonValue` is declared only in a module that uses it.
    static func usesJSON(_ type: ExportType) -> Bool {
        spelling.spell(type).usesJSON
    }

    /// ` // any JSON: …` for the end of a line, or nothing.
    static func comment(_ notes: [String]) -> String {
        notes.isEmpty ? "" : " // any JSON: " + ExportNames.commentText(notes.joined(separator: "; "))
    }
}
