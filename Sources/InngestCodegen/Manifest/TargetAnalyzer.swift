import Foundation
import InngestCore

/// Everything the generator knows about a target once every file is scanned.
package struct AnalyzedTarget: Sendable {
    package var appID: String
    package var manifest: Manifest
    /// Functions that can be registered, in manifest order, with their Swift declarations.
    package var registrable: [RegistrableFunction]
    package var diagnostics: [CodegenDiagnostic]
}

/// A function the generated registry can call.
package struct RegistrableFunction: Sendable, Hashable {
    package var id: String
    package var scanned: ScannedFunction
}

/// Checks what needs the whole target (duplicate ids, event names, option limits) and
/// builds the manifest.
package struct TargetAnalyzer: Sendable {
    package var appID: String
    package var configuration: CodegenConfiguration
    package var imports: [Manifest]
    /// Paths in the manifest are made relative to this directory, so it is the same on every machine.
    package var packageDirectory: String?

    package init(appID: String, configuration: CodegenConfiguration, imports: [Manifest], packageDirectory: String?) {
        self.appID = appID
        self.configuration = configuration
        self.imports = imports
        self.packageDirectory = packageDirectory
    }

    package func analyze(_ files: [ScannedFile]) -> AnalyzedTarget {
        var diagnostics = files.flatMap(\.diagnostics)
        let allTypes = files.flatMap(\.types)
        let eventNames = eventNamesByType(allTypes)
        let knownEvents = knownEventNames(allTypes)
        let builder = TypeSchemaBuilder(types: allTypes, knownSchemas: knownSchemasByType())

        // Duplicate ids first (the first declaration in path order wins), then the
        // functions one by one, on all cores: each only reads what is shared.
        var firstDeclaration: [String: ScannedFunction] = [:]
        var work: [(id: String, function: ScannedFunction, duplicateOf: ScannedFunction?)] = []
        for function in files.sorted(by: { $0.path < $1.path }).flatMap(\.functions) {
            guard let id = function.id else { continue }
            work.append((id, function, firstDeclaration[id]))
            if firstDeclaration[id] == nil { firstDeclaration[id] = function }
        }
        // Each input and output type once: handlers often share them.
        let typeNames = Array(Set(work.flatMap { [$0.function.inputType] + ($0.function.outputType.map { [$0] } ?? []) }))
        let schemas = Dictionary(uniqueKeysWithValues: zip(typeNames, typeNames.concurrentMap { [builder] in builder.schema($0) }))
        let analysed = work.concurrentMap { item -> (function: Manifest.Function?, diagnostics: [CodegenDiagnostic]) in
            if let first = item.duplicateOf {
                return (
                    nil,
                    [
                        .error(
                            "duplicate function id \"\(item.id)\": '\(first.swiftName)' at \(relative(first.position.file)):\(first.position.line) already uses it",
                            at: item.function.idPosition)
                    ]
                )
            }
            return analyze(item.function, id: item.id, eventNames: eventNames, knownEvents: knownEvents, schemas: schemas)
        }

        var functions: [Manifest.Function] = []
        var registrable: [RegistrableFunction] = []
        for (item, result) in zip(work, analysed) {
            diagnostics += result.diagnostics
            guard let function = result.function else { continue }
            functions.append(function)
            if item.function.isRegistrable { registrable.append(RegistrableFunction(id: item.id, scanned: item.function)) }
        }
        let manifest = Manifest(appID: appID, functions: functions, events: configuration.events)
        return AnalyzedTarget(appID: appID, manifest: manifest, registrable: registrable, diagnostics: diagnostics.sorted(by: Self.order))
    }

    /// One function's manifest entry and problems (duplicates aside).
    private func analyze(
        _ function: ScannedFunction, id: String, eventNames: [String: String], knownEvents: Set<String>?, schemas: [String: JSONValue]
    ) -> (function: Manifest.Function?, diagnostics: [CodegenDiagnostic]) {
        var diagnostics: [CodegenDiagnostic] = []
        let configuration = function.configuration.configuration(id: id) { eventNames[$0] }
        for issue in configuration.issues {
            let position = function.configuration.position(of: issue.field) ?? function.position
            diagnostics.append(.error("\(issue.field): \(issue.message)", at: position))
        }
        diagnostics += unresolvedPayloadTypes(function, eventNames: eventNames)
        if let knownEvents {
            for reference in function.eventReferences where !knownEvents.contains(reference.name) {
                diagnostics.append(
                    .error(
                        "unknown event \"\(reference.name)\": it is not in the event catalog of inngest.config.json", at: reference.position))
            }
        }
        return (manifestFunction(id: id, function, configuration, schemas), diagnostics)
    }

    // MARK: Events

    /// `EventPayload` types with a literal `eventName`, the catalog's generated types and
    /// the imported apps' generated types.
    private func eventNamesByType(_ types: [ScannedType]) -> [String: String] {
        var names: [String: String] = [:]
        for type in types {
            guard let name = type.eventName else { continue }
            names[type.name] = name
            if let last = type.name.split(separator: ".").last { names[String(last)] = names[String(last)] ?? name }
        }
        for (typeName, event) in GeneratedTypeNames.catalogTypes(configuration) {
            names["\(configuration.eventsNamespace).\(typeName)"] = event
        }
        for manifest in imports {
            let namespace = GeneratedTypeNames.importNamespace(manifest.appID)
            for (typeName, event) in GeneratedTypeNames.eventTypes(of: manifest.events) {
                names["\(namespace).\(typeName)"] = event
            }
        }
        return names
    }

    /// Every event name the target may use, when it has a catalog; `nil` means "no checking".
    private func knownEventNames(_ types: [ScannedType]) -> Set<String>? {
        guard !configuration.events.isEmpty else { return nil }
        var names = Set(configuration.events.keys)
        names.formUnion(types.compactMap(\.eventName))
        for manifest in imports { names.formUnion(manifest.events.keys) }
        names.insert(InngestEventName.functionFailed)
        return names
    }

    private func knownSchemasByType() -> [String: JSONValue] {
        var schemas: [String: JSONValue] = [:]
        for (typeName, event) in GeneratedTypeNames.catalogTypes(configuration) {
            schemas["\(configuration.eventsNamespace).\(typeName)"] = configuration.events[event]
        }
        return schemas
    }

    private func unresolvedPayloadTypes(_ function: ScannedFunction, eventNames: [String: String]) -> [CodegenDiagnostic] {
        var diagnostics: [CodegenDiagnostic] = []
        let configuration = function.configuration
        let sources = configuration.triggers.compactMap(\.payloadType) + configuration.cancelOn.compactMap(\.payloadType)
        for payload in sources where eventNames[payload] == nil {
            diagnostics.append(
                .warning(
                    "cannot tell the event name of '\(payload)' (no `static let eventName = \"…\"` in this target): the manifest leaves it out",
                    at: function.position))
        }
        return diagnostics
    }

    // MARK: Manifest

    private func manifestFunction(id: String, _ function: ScannedFunction, _ configuration: FunctionConfiguration, _ schemas: [String: JSONValue]) -> Manifest.Function {
        let literalSteps = function.steps.filter { $0.id != nil }
        let indices = StepOrder.repeatIndices(literalSteps)
        let steps = zip(literalSteps, indices).map { step, index in
            let userID = step.id ?? ""
            return Manifest.Step(
                id: userID, wireID: StepIdentity(userID: userID, index: index).hashedID, kind: step.kind,
                file: relative(step.position.file), line: step.position.line, inLoop: step.inLoop)
        }
        return Manifest.Function(
            id: id, wireID: configuration.compositeID(appID: appID), name: configuration.name ?? id,
            triggers: configuration.triggers, options: options(configuration, unresolved: function.configuration.unresolvedOptions),
            input: schemas[function.inputType] ?? [:], output: function.outputType.map { schemas[$0] ?? [:] } ?? TypeSchemaBuilder.noOutput,
            steps: steps, complete: function.stepsComplete,
            source: Manifest.Location(file: relative(function.position.file), line: function.position.line))
    }

    /// The options in the JSON shapes the runtime's types encode to.
    private func options(_ configuration: FunctionConfiguration, unresolved: [String]) -> [String: JSONValue] {
        var options: [String: JSONValue] = ["retries": .integer(Int64(configuration.retries))]
        func put(_ key: String, _ value: (some Encodable)?) {
            guard let value, let json = try? JSONCodec.shared.jsonValue(of: value) else { return }
            options[key] = json
        }
        if !configuration.cancelOn.isEmpty { put("cancelOn", configuration.cancelOn) }
        put("concurrency", configuration.concurrency)
        put("throttle", configuration.throttle)
        put("rateLimit", configuration.rateLimit)
        put("debounce", configuration.debounce)
        put("priority", configuration.priority)
        put("batchEvents", configuration.batchEvents)
        put("idempotency", configuration.idempotency)
        put("timeouts", configuration.timeouts)
        put("singleton", configuration.singleton)
        if !unresolved.isEmpty { options["unresolved"] = .array(unresolved.map { .string($0) }) }
        return options
    }

    private func relative(_ path: String) -> String {
        guard let packageDirectory else { return path }
        let prefix = packageDirectory.hasSuffix("/") ? packageDirectory : packageDirectory + "/"
        return path.hasPrefix(prefix) ? String(path.dropFirst(prefix.count)) : path
    }

    private static func order(_ a: CodegenDiagnostic, _ b: CodegenDiagnostic) -> Bool {
        switch (a.position, b.position) {
        case (let left?, let right?): return left < right
        case (nil, _?): return true
        default: return false
        }
    }
}
