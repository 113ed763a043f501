import InngestCore

/// A manifest for an app with no Swift sources (a Python or TypeScript app), written from what
/// the app tells the server at sync: its functions' ids, names, triggers and options.
///
/// Reads any of:
/// - a register request body (what an SDK POSTs to `/fn/register`, `appName` or `appname`);
/// - an in-band sync answer (`app_id` and `functions`);
/// - the run-control API's `GET /v1/functions` answer (`{"data": [{"app_id", "configuration"}]}`),
///   as a dev server lists every synced app's functions; `appID` picks the app when there are several.
///
/// A sync says nothing about types. An input is the trigger event's schema from `events` (an
/// event catalog) when it has one; every other input and every output is written as
/// ``untypedInput`` / ``untypedOutput``: any JSON, with a description saying how to type it.
package enum RegistrationImport {
    package static let untypedInput: JSONValue = [
        "description": .string(
            "Untyped: imported from the app's sync, which does not describe inputs, and the event catalog has no schema of a trigger event. "
                + "Replace with the JSON Schema of the input to type it.")
    ]
    package static let untypedOutput: JSONValue = [
        "description": "Untyped: imported from the app's sync, which does not describe outputs. Replace with the JSON Schema of the result to type it."
    ]

    /// The manifest of the app in `text`; `source` names the file in messages. Throws
    /// ``InputError`` naming the field at fault.
    package static func manifest(from text: String, source: String, appID: String? = nil, events: [String: JSONValue] = [:]) throws -> Manifest {
        let root = try parse(text, source: source)
        var reader = RegistrationReader(source: source)
        let (app, functions) = try reader.app(root, requestedAppID: appID)
        let manifestFunctions = try reader.functions(functions, appID: app, events: events)
        let triggerEvents = Set(manifestFunctions.flatMap { $0.triggers.compactMap(\.eventName) })
        let manifest = Manifest(appID: app, functions: manifestFunctions, events: events.filter { triggerEvents.contains($0.key) })
        try check(manifest, source: source)
        return manifest
    }

    /// An event catalog file: a JSON object of event name → JSON Schema of the event's `data`.
    package static func eventCatalog(from text: String, source: String) throws -> [String: JSONValue] {
        guard case .object(let members) = try parse(text, source: source) else {
            throw InputError("\(source): an event catalog must be a JSON object of event name to JSON Schema of its data")
        }
        for (name, schema) in members.sorted(by: { $0.key < $1.key }) {
            switch schema {
            case .object, .bool: continue
            default: throw InputError("\(source): \"\(name)\" must be a JSON Schema (an object, or true/false)")
            }
        }
        return members
    }

    private static func parse(_ text: String, source: String) throws -> JSONValue {
        do {
            return try JSONText.read(text)
        } catch {
            let (line, column) = JSONLocator(text).lineAndColumn(of: error.offset)
            throw InputError("\(source):\(line):\(column): not valid JSON: \(error.reason)")
        }
    }

    /// Reads the written manifest back as `validate` and the plugin will, so a payload whose
    /// options the manifest cannot hold fails here, naming the function, not at its next use.
    private static func check(_ manifest: Manifest, source: String) throws {
        let text: String
        do {
            text = try ManifestCoding.encode(manifest)
        } catch {
            throw InputError("\(source): the imported manifest cannot be written: \(error)")
        }
        let problems = ManifestReader.check(text, path: source).1.filter { $0.severity == .error }
        guard problems.isEmpty else {
            throw InputError(problems.map { "\(source): \($0.message)" }.joined(separator: "\n"))
        }
    }
}

/// Walks a sync payload, throwing at the first field that cannot become part of a manifest.
private struct RegistrationReader {
    /// The server counts more retries as this many.
    static let maxRetries: Int64 = 20

    let source: String

    /// The app's id and its functions as the payload has them.
    func app(_ root: JSONValue, requestedAppID: String?) throws -> (String, [JSONValue]) {
        guard case .object(let members) = root else { throw fail("", "must be a JSON object: an app's register request or sync answer") }
        if let data = member(members, "data") {
            return try listedApp(data, requestedAppID: requestedAppID)
        }
        guard let functionList = member(members, "functions") else {
            throw fail("functions", "is missing: expected a register request body (what an SDK posts to /fn/register)")
        }
        guard case .array(let functions) = functionList else { throw fail("functions", "must be an array") }
        let named = (member(members, "appName") ?? member(members, "app_id")).map { $0.stringValue ?? "" }
        if named?.isEmpty == true { throw fail("appName", "must be a non-empty string") }
        switch (named, requestedAppID) {
        case (let named?, let requested?) where named != requested:
            throw fail("appName", "is \"\(named)\", not the requested app \"\(requested)\"")
        case (let id?, _), (nil, let id?): return (id, functions)
        case (nil, nil): throw fail("appName", "is missing: pass the app's id")
        }
    }

    /// The functions of one app from `GET /v1/functions`.
    private func listedApp(_ data: JSONValue, requestedAppID: String?) throws -> (String, [JSONValue]) {
        guard case .array(let entries) = data else { throw fail("data", "must be an array of functions") }
        var byApp: [String: [JSONValue]] = [:]
        for (index, entry) in entries.enumerated() {
            guard let app = entry["app_id"]?.stringValue, !app.isEmpty else { throw fail("data[\(index)].app_id", "is missing or empty") }
            guard case .object(var configuration)? = entry["configuration"] else {
                throw fail("data[\(index)].configuration", "must be the function's registration (an object)")
            }
            // The entry's own id is the wire id, whatever the configuration says; a name equal to
            // the configuration's id is the listing's stand-in for a function without one.
            if configuration["name"] != nil, configuration["name"] == configuration["id"] { configuration["name"] = nil }
            if let id = entry["id"], id.stringValue != nil { configuration["id"] = id }
            byApp[app, default: []].append(.object(configuration))
        }
        let apps = byApp.keys.sorted().joined(separator: ", ")
        if let requestedAppID {
            guard let functions = byApp[requestedAppID] else { throw fail("data", "has no functions of app \"\(requestedAppID)\"; apps: \(apps)") }
            return (requestedAppID, functions)
        }
        guard byApp.count == 1, let (app, functions) = byApp.first else {
            throw fail("data", byApp.isEmpty ? "lists no functions" : "lists functions of several apps (\(apps)): pick one with the app id")
        }
        return (app, functions)
    }

    func functions(_ functions: [JSONValue], appID: String, events: [String: JSONValue]) throws -> [Manifest.Function] {
        var seen: [String: Int] = [:]
        return try functions.enumerated().map { index, value in
            let field = "functions[\(index)]"
            guard case .object(let members) = value else { throw fail(field, "must be an object") }
            guard let wireID = member(members, "id")?.stringValue, !wireID.isEmpty, !wireID.contains(where: \.isWhitespace) else {
                throw fail(field + ".id", "must be a non-empty string without spaces (\"<app id>-<function id>\")")
            }
            // The server knows a function by `<app id>-<id>`; references name the part after the app.
            let prefix = appID + "-"
            let id = wireID.hasPrefix(prefix) && wireID.count > prefix.count ? String(wireID.dropFirst(prefix.count)) : wireID
            if let first = seen[id] { throw fail(field + ".id", "\"\(wireID)\" is already used by functions[\(first)]") }
            seen[id] = index
            // A name that only repeats the wire id is no name: the function is then known by its id.
            let name = member(members, "name")?.stringValue.flatMap { $0.isEmpty || $0 == wireID ? nil : $0 } ?? id
            let triggers = try self.triggers(member(members, "triggers"), field: field + ".triggers")
            let input = triggers.lazy.compactMap(\.eventName).compactMap { events[$0] }.first ?? RegistrationImport.untypedInput
            return Manifest.Function(
                id: id, wireID: wireID, name: name, triggers: triggers, options: try options(members, field: field), input: input,
                output: RegistrationImport.untypedOutput, steps: [], complete: false, source: nil)
        }
    }

    private func triggers(_ value: JSONValue?, field: String) throws -> [Trigger] {
        guard let value else { return [] }
        guard case .array(let items) = value else { throw fail(field, "must be an array") }
        return try items.enumerated().map { index, item in
            let field = "\(field)[\(index)]"
            guard case .object(let members) = item else { throw fail(field, "must be an object") }
            switch (member(members, "event"), member(members, "cron")) {
            case (let event?, nil):
                guard let name = event.stringValue, !name.isEmpty else { throw fail(field + ".event", "must be a non-empty event name") }
                let expression = member(members, "expression")
                if let expression, expression.stringValue == nil { throw fail(field + ".expression", "must be a string") }
                return .event(name, if: expression?.stringValue.flatMap { $0.isEmpty ? nil : $0 })
            case (nil, let cron?):
                guard let schedule = cron.stringValue, !schedule.isEmpty else { throw fail(field + ".cron", "must be a non-empty schedule") }
                guard let jitter = member(members, "jitter") else { return .cron(schedule) }
                guard let text = jitter.stringValue, let duration = try? InngestDuration(parsing: text) else {
                    throw fail(field + ".jitter", "must be a time string such as \"30s\"")
                }
                return .cron(schedule, jitter: duration)
            case (.some, .some): throw fail(field, "has both event and cron; a trigger has one")
            case (nil, nil): throw fail(field, "needs event (an event name) or cron (a schedule)")
            }
        }
    }

    /// The options the manifest holds, under its names (`cancel` is `cancelOn`); the retries
    /// are the call step's, as the server reads them.
    private func options(_ members: [String: JSONValue], field: String) throws -> [String: JSONValue] {
        var options: [String: JSONValue] = [:]
        let steps = member(members, "steps")?.objectValue
        let step = steps.flatMap { $0["step"] ?? ($0.count == 1 ? $0.values.first : nil) }
        if let retries = step?["retries"]?["attempts"] ?? member(members, "retries"), !retries.isNull {
            guard let count = retries.integerValue, count >= 0 else { throw fail(field + ".retries", "must be a non-negative integer") }
            options["retries"] = .integer(min(count, Self.maxRetries))
        }
        if let cancel = member(members, "cancel") {
            guard case .array(let items) = cancel else { throw fail(field + ".cancel", "must be an array") }
            if !items.isEmpty { options["cancelOn"] = .array(items.map(dropNulls)) }
        }
        if let concurrency = member(members, "concurrency") {
            // SDKs send a bare limit, one object or a list; the manifest holds a list.
            switch concurrency {
            case .integer: options["concurrency"] = [["limit": concurrency]]
            case .object: options["concurrency"] = [dropNulls(concurrency)]
            case .array(let items): if !items.isEmpty { options["concurrency"] = .array(items.map(dropNulls)) }
            default: throw fail(field + ".concurrency", "must be a limit, an object or an array")
            }
        }
        for key in ["throttle", "rateLimit", "debounce", "priority", "batchEvents", "timeouts", "singleton"] {
            guard let value = member(members, key) else { continue }
            guard case .object = value else { throw fail("\(field).\(key)", "must be an object") }
            options[key] = dropNulls(value)
        }
        if let idempotency = member(members, "idempotency") {
            guard idempotency.stringValue != nil else { throw fail(field + ".idempotency", "must be a string") }
            options["idempotency"] = idempotency
        }
        return options
    }

    /// A member by name, matched as the server does (case-insensitively); `null` is absent.
    private func member(_ members: [String: JSONValue], _ name: String) -> JSONValue? {
        let value = members[name] ?? members.first { $0.key.lowercased() == name.lowercased() }?.value
        return value?.isNull == true ? nil : value
    }

    private func dropNulls(_ value: JSONValue) -> JSONValue {
        switch value {
        case .object(let members): return .object(members.filter { !$0.value.isNull }.mapValues(dropNulls))
        case .array(let items): return .array(items.map(dropNulls))
        default: return value
        }
    }

    private func fail(_ field: String, _ problem: String) -> InputError {
        InputError("\(source): \(field.isEmpty ? "" : field + " ")\(problem)")
    }
}
