import InngestCore

/// What `Templates/InngestGenerated.swift.mustache` renders: plain values and flags only,
/// so the template decides the code's shape and this decides its content.
struct GeneratedSwiftView {
    var targetName: String
    var access: String
    var appID: String
    var appIDLiteral: String
    var namespace: String
    var functions: [FunctionView]
    var embedManifest: Bool
    var manifestFileName: String
    var manifestLiteral: String
    var hasEvents: Bool
    var eventsNamespace: String
    var eventNames: [EventNameView]
    var eventTypes: [TypeView]
    var imports: [ImportView]

    struct FunctionView {
        var id: String
        var idLiteral: String
        var referenceName: String
        var inputType: String
        var outputType: String
        var handlerName: String
        var configurationArguments: String
        var hasOnFailure: Bool
        var onFailure: String
    }

    struct EventNameView {
        var constantName: String
        var name: String
        var nameLiteral: String
    }

    struct ImportView {
        var appID: String
        var appIDLiteral: String
        var namespace: String
        var manifestFile: String
        var functions: [FunctionView]
        var hasEvents: Bool
        var eventNames: [EventNameView]
        var types: [TypeView]
    }

    struct TypeView {
        var name: String
        var hasSummary: Bool
        var summary: String
        var isEnum: Bool
        var isEvent: Bool
        var eventNameLiteral: String
        var conformances: String
        var cases: [CaseView]
        var properties: [PropertyView]
        var initParameters: String
        var hasCodingKeys: Bool
    }

    struct CaseView {
        var caseName: String
        var rawLiteral: String
    }

    struct PropertyView {
        var name: String
        var type: String
        var keyLiteral: String
        var hasSummary: Bool
        var summary: String
    }
}

extension GeneratedSwiftView.TypeView {
    init(_ declaration: SchemaTypeDeclaration) {
        let properties = declaration.properties.map { property in
            GeneratedSwiftView.PropertyView(
                name: property.name, type: property.type + (property.isOptional ? "?" : ""),
                keyLiteral: SwiftNames.stringLiteral(property.key),
                hasSummary: property.summary != nil, summary: Self.oneLine(property.summary))
        }
        var cases: Set<String> = []
        self.init(
            name: declaration.name, hasSummary: declaration.summary != nil, summary: Self.oneLine(declaration.summary),
            isEnum: declaration.isEnum, isEvent: declaration.eventName != nil,
            eventNameLiteral: declaration.eventName.map(SwiftNames.stringLiteral) ?? "",
            conformances: declaration.eventName != nil ? "EventPayload, Hashable" : "Codable, Sendable, Hashable",
            cases: declaration.cases.map { value in
                GeneratedSwiftView.CaseView(caseName: SwiftNames.unique(SwiftNames.lowerCamel(value), in: &cases), rawLiteral: SwiftNames.stringLiteral(value))
            },
            properties: properties,
            initParameters: declaration.properties.map { "\($0.name): \($0.type)\($0.isOptional ? "? = nil" : "")" }.joined(separator: ", "),
            hasCodingKeys: declaration.properties.contains { $0.name != $0.key })
    }

    /// Doc comments are one line: a description with newlines would end the comment.
    private static func oneLine(_ text: String?) -> String {
        (text ?? "").split(whereSeparator: \.isNewline).joined(separator: " ")
    }
}
