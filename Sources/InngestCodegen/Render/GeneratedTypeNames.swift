import InngestCore

/// The names of generated types, decided in one place: the analyzer resolves typed
/// triggers through them and the renderer declares them.
enum GeneratedTypeNames {
    /// Catalog type name → event name, e.g. `ShopOrderPlaced` → `shop/order.placed`.
    /// A schema's `title` names the type when given.
    static func catalogTypes(_ configuration: CodegenConfiguration) -> [(String, String)] {
        eventTypes(of: configuration.events)
    }

    static func eventTypes(of events: [String: JSONValue]) -> [(String, String)] {
        var taken: Set<String> = []
        return events.keys.sorted().map { event in
            (SwiftNames.unique(typeName(for: event, schema: events[event]), in: &taken), event)
        }
    }

    static func typeName(for event: String, schema: JSONValue?) -> String {
        if let title = schema?["title"]?.stringValue, let last = title.split(separator: ".").last {
            return SwiftNames.upperCamel(String(last))
        }
        return SwiftNames.upperCamel(event)
    }

    /// `my-python-app` → `MyPythonApp`.
    static func importNamespace(_ appID: String) -> String {
        SwiftNames.upperCamel(appID)
    }

    /// The reference name of a function id: `compute-square` → `computeSquare`.
    static func referenceName(_ id: String, taken: inout Set<String>) -> String {
        SwiftNames.unique(SwiftNames.lowerCamel(id), in: &taken)
    }

    /// Names the generated namespaces declare themselves; references avoid them.
    static let reservedMembers: Set<String> = ["all", "appID", "manifestJSON", "Name"]
}
