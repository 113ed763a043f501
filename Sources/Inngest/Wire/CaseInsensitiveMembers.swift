/// Reads an object's members the way Go's `encoding/json` does, which is how the Inngest
/// server reads every SDK's documents: a member matches its name exactly or, failing that,
/// case-insensitively (the Python SDK sends `appname`); `null` counts as absent.
///
/// Only the wire model's own levels are read so; values inside (options, event data, step
/// results) keep their exact names.
package struct CaseInsensitiveMembers<Key: CodingKey> {
    private let container: KeyedDecodingContainer<MemberName>
    private let lowercased: [String: MemberName]

    package init(_ decoder: any Decoder) throws {
        container = try decoder.container(keyedBy: MemberName.self)
        var lowercased: [String: MemberName] = [:]
        for key in container.allKeys where lowercased[key.stringValue.lowercased()] == nil {
            lowercased[key.stringValue.lowercased()] = key
        }
        self.lowercased = lowercased
    }

    private func member(_ key: Key) -> MemberName? {
        let exact = MemberName(key.stringValue)
        return container.contains(exact) ? exact : lowercased[key.stringValue.lowercased()]
    }

    /// The member's value, or `nil` when it is absent or `null`. A value of the wrong shape
    /// throws a ``WireFieldError`` naming the field from the document's root.
    package func decode<Value: Decodable>(_ type: Value.Type, _ key: Key) throws -> Value? {
        guard let name = member(key) else { return nil }
        do {
            return try container.decodeIfPresent(type, forKey: name)
        } catch let error as WireFieldError {
            throw error
        } catch {
            throw WireFieldError(field: container.codingPath + [name], type: type, underlying: error)
        }
    }
}

/// Any member name.
struct MemberName: CodingKey {
    var stringValue: String
    var intValue: Int? { nil }
    init(_ name: String) { stringValue = name }
    init?(stringValue: String) { self.stringValue = stringValue }
    init?(intValue: Int) { nil }
}

/// A document member whose value does not have the expected shape; the description names the
/// field from the document's root (`functions[0].throttle`) and what is wrong inside it.
package struct WireFieldError: Error, Sendable, CustomStringConvertible {
    package let field: String
    package let problem: String

    init(field path: [any CodingKey], type: Any.Type, underlying: any Error) {
        field = WireFieldError.text(path)
        let inner = (underlying as? DecodingError).flatMap(DecodingErrorText.context)?.codingPath ?? []
        if inner.count <= path.count, case .typeMismatch? = underlying as? DecodingError {
            problem = "must be \(WireFieldError.shape(of: type))"
        } else {
            let relative = Array(inner.dropFirst(path.count))
            problem = "is not valid: " + DecodingErrorText.describe(underlying, relativeTo: relative)
        }
    }

    package var description: String {
        problem.hasPrefix("must") ? "\"\(field)\" \(problem)" : "\(field) \(problem)"
    }

    /// `functions[0].steps.step`.
    static func text(_ path: [any CodingKey]) -> String {
        var text = ""
        for key in path {
            if let index = key.intValue {
                text += "[\(index)]"
            } else {
                text += (text.isEmpty ? "" : ".") + key.stringValue
            }
        }
        return text
    }

    private static func shape(of type: Any.Type) -> String {
        switch type {
        case is String.Type: return "a string"
        case is Bool.Type: return "true or false"
        case is Int.Type, is Int64.Type: return "an integer"
        default:
            let name = String(describing: type)
            return name.hasPrefix("Array<") ? "an array" : "an object"
        }
    }
}
