import InngestCore

/// Builds the view of the generated Swift file from the analysed target.
struct GeneratedSwiftViewBuilder {
    var targetName: String
    var configuration: CodegenConfiguration
    var manifestFileName: String

    func view(_ target: AnalyzedTarget, manifestJSON: String, imports: [(file: String, manifest: Manifest)]) -> GeneratedSwiftView {
        var taken = GeneratedTypeNames.reservedMembers
        let functions = target.registrable.map { function in
            ownFunction(function, referenceName: GeneratedTypeNames.referenceName(function.id, taken: &taken))
        }
        var renderer = SchemaTypeRenderer(reservedNames: ["Name"])
        let events = renderer.declareEvents(configuration.events)
        return GeneratedSwiftView(
            targetName: targetName, access: configuration.accessLevel.rawValue,
            appID: target.appID, appIDLiteral: SwiftNames.stringLiteral(target.appID),
            namespace: configuration.functionsNamespace, functions: functions,
            embedManifest: configuration.embedManifest, manifestFileName: manifestFileName,
            manifestLiteral: configuration.embedManifest ? SwiftNames.rawMultilineLiteral(manifestJSON) : "",
            hasEvents: !events.isEmpty, eventsNamespace: configuration.eventsNamespace,
            eventNames: events.map { Self.eventName($0.event) },
            eventTypes: renderer.declarations.map(GeneratedSwiftView.TypeView.init),
            imports: imports.map { importView($0.manifest, file: $0.file) })
    }

    private func ownFunction(_ function: RegistrableFunction, referenceName: String) -> GeneratedSwiftView.FunctionView {
        let scanned = function.scanned
        let qualified = (scanned.qualifier.map { "\($0)." } ?? "") + scanned.swiftName
        return GeneratedSwiftView.FunctionView(
            id: function.id, idLiteral: SwiftNames.stringLiteral(function.id), referenceName: referenceName,
            inputType: scanned.inputType, outputType: scanned.outputType ?? "Void",
            handlerName: "\(qualified)(\(scanned.parameterLabel):)",
            configurationArguments: scanned.configurationArguments.map { "\($0.label): \($0.source)" }.joined(separator: ", "),
            hasOnFailure: scanned.onFailure != nil, onFailure: scanned.onFailure ?? "")
    }

    /// A namespace for another app: typed references, and types from its JSON Schemas.
    private func importView(_ manifest: Manifest, file: String) -> GeneratedSwiftView.ImportView {
        var taken = GeneratedTypeNames.reservedMembers
        var renderer = SchemaTypeRenderer(reservedNames: ["Name"])
        let events = renderer.declareEvents(manifest.events)
        let eventTypes = Dictionary(events.map { ($0.event, $0.typeName) }, uniquingKeysWith: { first, _ in first })
        let functions = manifest.functions.map { function in
            let referenceName = GeneratedTypeNames.referenceName(function.id, taken: &taken)
            let typeBase = SwiftNames.upperCamel(function.id)
            // A function whose input is its triggering event's data takes that event's payload type.
            let triggerType = function.triggers.lazy.compactMap(\.eventName).first { manifest.events[$0] == function.input }.flatMap { eventTypes[$0] }
            return GeneratedSwiftView.FunctionView(
                id: function.id, idLiteral: SwiftNames.stringLiteral(function.id), referenceName: referenceName,
                inputType: triggerType ?? renderer.declare(function.input, suggestedName: typeBase + "Input"),
                outputType: renderer.outputType(function.output, suggestedName: typeBase + "Output"),
                handlerName: "", configurationArguments: "", hasOnFailure: false, onFailure: "")
        }
        return GeneratedSwiftView.ImportView(
            appID: manifest.appID, appIDLiteral: SwiftNames.stringLiteral(manifest.appID),
            namespace: GeneratedTypeNames.importNamespace(manifest.appID), manifestFile: file, functions: functions,
            hasEvents: !events.isEmpty, eventNames: events.map { Self.eventName($0.event) },
            types: renderer.declarations.map(GeneratedSwiftView.TypeView.init))
    }

    private static func eventName(_ event: String) -> GeneratedSwiftView.EventNameView {
        GeneratedSwiftView.EventNameView(constantName: SwiftNames.lowerCamel(event), name: event, nameLiteral: SwiftNames.stringLiteral(event))
    }
}
