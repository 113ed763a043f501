/// A value that converts to and from a ``JSONValue`` tree directly, without Foundation's
/// coders: the codec takes this path for events, which arrive as trees from the wire.
///
/// Foundation's `JSONDecoder` decodes a `JSONValue` by trial (each node tried as every kind in
/// turn) and carries a coding path per level, so deep values cost far more than their size;
/// its encoder also stops one level short of ``JSONText/maximumDepth``. Converting the tree
/// directly costs time linear in the size and accepts exactly what ``JSONText`` reads.
package protocol JSONTreeConvertible {
    init(jsonTree: JSONValue) throws(InvalidJSONField)
    func jsonTree() -> JSONValue
}

/// A member of a JSON document with the wrong type or value; `description` names it.
package struct InvalidJSONField: Error, Sendable, Hashable, CustomStringConvertible {
    /// The member's path, e.g. `ts` or `[2].name`.
    package let field: String
    package let problem: String

    package init(field: String, problem: String) {
        self.field = field
        self.problem = problem
    }

    package var description: String { "\"\(field)\" \(problem)" }

    /// The same problem, one level further down: `[index]` before the field.
    package func inElement(_ index: Int) -> InvalidJSONField {
        InvalidJSONField(field: "[\(index)]" + (field.hasPrefix("[") ? field : "." + field), problem: problem)
    }

    /// The JSON type of a value, for messages.
    package static func kind(of value: JSONValue) -> String {
        switch value {
        case .null: return "null"
        case .bool: return "a boolean"
        case .integer, .double: return "a number"
        case .string: return "a string"
        case .array: return "an array"
        case .object: return "an object"
        }
    }
}

extension Event: JSONTreeConvertible where Payload == JSONValue {
    package init(jsonTree: JSONValue) throws(InvalidJSONField) {
        guard case .object(let members) = jsonTree else {
            throw InvalidJSONField(field: "event", problem: "must be a JSON object, not \(InvalidJSONField.kind(of: jsonTree))")
        }
        func string(_ key: String, required: Bool = false) throws(InvalidJSONField) -> String? {
            switch members[key] {
            case .string(let text)?: return text
            case nil, .null?:
                if required { throw InvalidJSONField(field: key, problem: "is missing: an event needs a name") }
                return nil
            case let other?: throw InvalidJSONField(field: key, problem: "must be a string, not \(InvalidJSONField.kind(of: other))")
            }
        }
        let name = try string("name", required: true) ?? ""
        var ts: Int64?
        if let value = members["ts"], !value.isNull {
            guard let integer = value.integerValue else {
                let what = value.doubleValue != nil ? "a number with a fraction or out of range" : InvalidJSONField.kind(of: value)
                throw InvalidJSONField(field: "ts", problem: "must be an integer (milliseconds since the Unix epoch), not \(what)")
            }
            ts = integer
        }
        let data = members["data"].flatMap { $0.isNull ? nil : $0 } ?? [:]
        self.init(name: name, data: data, id: try string("id"), ts: ts, user: members["user"], v: try string("v"))
    }

    package func jsonTree() -> JSONValue {
        var members: [String: JSONValue] = ["name": .string(name), "data": data]
        if let id { members["id"] = .string(id) }
        if let ts { members["ts"] = .integer(ts) }
        if let user { members["user"] = user }
        if let v { members["v"] = .string(v) }
        return .object(members)
    }
}

extension Array: JSONTreeConvertible where Element: JSONTreeConvertible {
    package init(jsonTree: JSONValue) throws(InvalidJSONField) {
        guard case .array(let elements) = jsonTree else {
            throw InvalidJSONField(field: "[]", problem: "must be a JSON array, not \(InvalidJSONField.kind(of: jsonTree))")
        }
        var result: [Element] = []
        result.reserveCapacity(elements.count)
        for (index, element) in elements.enumerated() {
            do {
                result.append(try Element(jsonTree: element))
            } catch {
                throw error.inElement(index)
            }
        }
        self = result
    }

    package func jsonTree() -> JSONValue { .array(map { $0.jsonTree() }) }
}

extension Optional: JSONTreeConvertible where Wrapped: JSONTreeConvertible {
    package init(jsonTree: JSONValue) throws(InvalidJSONField) {
        self = jsonTree.isNull ? nil : try Wrapped(jsonTree: jsonTree)
    }

    package func jsonTree() -> JSONValue { self?.jsonTree() ?? .null }
}
