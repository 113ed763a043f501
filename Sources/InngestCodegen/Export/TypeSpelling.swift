import InngestCore

/// How one language writes an ``ExportType``: its words for each kind of type. One walk over
/// the type serves every language.
struct TypeSpelling: Sendable {
    var string: String
    var integer: String
    var number: String
    var boolean: String
    var null: String
    /// Any JSON value.
    var json: String
    var array: @Sendable (_ element: String, _ elementIsUnion: Bool) -> String
    var map: @Sendable (_ value: String) -> String
    /// A literal type of one value, or `nil` when the language has none for it.
    var literal: @Sendable (JSONValue) -> String?
    var literals: @Sendable ([String]) -> String
    /// Why values without literal types are any JSON.
    var literalsNote: String

    /// A type as written, with what it tells the reader.
    struct Spelled {
        var text: String
        /// Notes of the parts that are any JSON because their schema was not mapped.
        var notes: [String] = []
        /// Whether the text uses ``TypeSpelling/json``.
        var usesJSON = false
    }

    func spell(_ type: ExportType) -> Spelled {
        var spelled = Spelled(text: "")
        spelled.text = spell(type, into: &spelled)
        return spelled
    }

    private func spell(_ type: ExportType, into spelled: inout Spelled) -> String {
        switch type {
        case .string: return string
        case .integer: return integer
        case .number: return number
        case .boolean: return boolean
        case .null: return null
        case .json(let note):
            if let note, !spelled.notes.contains(note) { spelled.notes.append(note) }
            spelled.usesJSON = true
            return json
        case .literals(let values):
            let each = values.compactMap(literal)
            guard each.count == values.count else { return spell(.json(note: literalsNote), into: &spelled) }
            return literals(each)
        case .array(let element):
            let isUnion: Bool
            if case .union = element { isUnion = true } else { isUnion = false }
            return array(spell(element, into: &spelled), isUnion)
        case .map(let value): return map(spell(value, into: &spelled))
        case .object(let name): return name
        case .union(let members): return members.map { spell($0, into: &spelled) }.joined(separator: " | ")
        }
    }
}
