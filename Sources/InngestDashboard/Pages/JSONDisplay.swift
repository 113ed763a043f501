import Inngest

/// JSON as people read it: indented two spaces, keys sorted. Shown as text (escaped by the
/// template), so whatever a payload holds is displayed, never interpreted.
enum JSONDisplay {
    static func text(_ value: JSONValue) -> String {
        var output = ""
        write(value, indent: 0, into: &output)
        return output
    }

    private static func write(_ value: JSONValue, indent: Int, into output: inout String) {
        let pad = String(repeating: "  ", count: indent + 1)
        let closing = String(repeating: "  ", count: indent)
        switch value {
        case .array(let items) where !items.isEmpty:
            output += "[\n"
            for (index, item) in items.enumerated() {
                output += pad
                write(item, indent: indent + 1, into: &output)
                output += index < items.count - 1 ? ",\n" : "\n"
            }
            output += closing + "]"
        case .object(let members) where !members.isEmpty:
            output += "{\n"
            let keys = members.keys.sorted()
            for (index, key) in keys.enumerated() {
                output += pad + ((try? JSONText.write(.string(key))) ?? "\"\"") + ": "
                write(members[key] ?? .null, indent: indent + 1, into: &output)
                output += index < keys.count - 1 ? ",\n" : "\n"
            }
            output += closing + "}"
        default:
            output += (try? JSONText.write(value)) ?? "null"
        }
    }
}
