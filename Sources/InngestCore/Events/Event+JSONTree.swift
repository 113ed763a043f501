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
