import Foundation
import InngestCore

/// Reads a manifest, whether the generator wrote it or a person did for an app in another
/// language: every problem is reported at once, at its line and column, and the short form's
/// defaults are filled in.
///
/// The short form needs only `appId` and, per function, `id`; the rest defaults:
/// `formatVersion` 1, `events` `{}`; per function `wireId` `<appId>-<id>`, `name` the id,
/// `triggers` `[]`, `options` `{}`, `input` the schema of its first event trigger's event in
/// `events` (else `{}`, any JSON), `output` `{}`, `steps` `[]`,
/// `complete` whether `steps` was written; per step `wireId` the SHA-1 of the id, `file` the
/// manifest, `line` the step's line in it, `inLoop` false.
package enum ManifestReader {
    /// Reads `text`; `path` names the file in messages. Throws ``InputError`` listing every
    /// problem found.
    package static func read(_ text: String, path: String) throws -> Manifest {
        let (manifest, diagnostics) = check(text, path: path)
        if let manifest, !diagnostics.contains(where: { $0.severity == .error }) { return manifest }
        throw InputError(diagnostics: diagnostics)
    }

    package static func load(from url: URL) throws -> Manifest {
        let data: Data
        do {
            data = try Data(contentsOf: url)
        } catch {
            throw InputError("\(url.path): cannot read the manifest: \(error.localizedDescription)")
        }
        return try read(String(decoding: data, as: UTF8.self), path: url.path)
    }

    /// The manifest with defaults filled in (`nil` when it has errors) and every problem.
    package static func check(_ text: String, path: String) -> (Manifest?, [CodegenDiagnostic]) {
        let locator = JSONLocator(text)
        let tree: JSONValue
        do {
            tree = try JSONText.read(text)
        } catch {
            let (line, column) = locator.lineAndColumn(of: error.offset)
            return (nil, [.error("not valid JSON: \(error.reason)", at: SourcePosition(file: path, line: line, column: column))])
        }
        var checker = ManifestChecker(path: path, locator: locator)
        let completed = checker.complete(tree)
        let diagnostics = checker.problems.sorted { ($0.position?.line ?? 0, $0.position?.column ?? 0) < ($1.position?.line ?? 0, $1.position?.column ?? 0) }
        guard !diagnostics.contains(where: { $0.severity == .error }) else { return (nil, diagnostics) }
        do {
            return (try JSONCodec.shared.decode(Manifest.self, from: completed), diagnostics)
        } catch {
            return (nil, diagnostics + [.error("not a valid Inngest manifest: \(error)", at: SourcePosition(file: path, line: 1, column: 1))])
        }
    }
}

/// Walks a manifest's tree once: records each problem with its place, and returns the tree
/// with the short form's defaults written out.
private struct ManifestChecker {
    typealias Path = [JSONLocator.Component]

    let path: String
    let locator: JSONLocator
    var problems: [CodegenDiagnostic] = []

    init(path: String, locator: JSONLocator) {
        self.path = path
        self.locator = locator
    }

    mutating func complete(_ tree: JSONValue) -> JSONValue {
        guard var members = object(tree, at: [], allowed: ["formatVersion", "appId", "functions", "events", "$schema"]) else { return tree }
        if let schema = members.removeValue(forKey: "$schema"), schema.stringValue == nil {
            error("$schema must be a string (the schema's URL or path)", at: [.key("$schema")])
        }
        if let version = members["formatVersion"] {
            if let number = version.integerValue {
                if number < 1 || number > Manifest.currentFormatVersion {
                    error("formatVersion \(number) is not one this generator reads (1 to \(Manifest.currentFormatVersion))", at: [.key("formatVersion")])
                }
            } else {
                error("formatVersion must be an integer", at: [.key("formatVersion")])
            }
        } else {
            members["formatVersion"] = .integer(Int64(Manifest.currentFormatVersion))
        }
        let appID = identifier(members["appId"], named: "appId", at: [.key("appId")], within: [])
        if let events = members["events"] {
            if case .object(let schemas) = events {
                for (name, schema) in schemas.sorted(by: { $0.key < $1.key }) { self.schema(schema, at: [.key("events"), .key(name)]) }
            } else {
                error("events must be an object of event name to JSON Schema of its data", at: [.key("events")])
            }
        } else {
            members["events"] = .object([:])
        }
        switch members["functions"] {
        case .array(let functions)?:
            var seen: [String: Int] = [:]
            members["functions"] = .array(
                functions.enumerated().map { index, function in
                    let at: Path = [.key("functions"), .index(index)]
                    let completed = self.function(function, at: at, appID: appID ?? "", events: members["events"]?.objectValue ?? [:])
                    if let id = completed["id"]?.stringValue {
                        if let first = seen[id] {
                            error("function id \"\(id)\" is already used by functions[\(first)]", at: at + [.key("id")])
                        } else {
                            seen[id] = index
                        }
                    }
                    return completed
                })
        case nil:
            error("functions is missing: list the app's functions, each at least {\"id\": \"…\"}", at: [])
        case .some:
            error("functions must be an array", at: [.key("functions")])
        }
        return .object(members)
    }

    private mutating func function(_ value: JSONValue, at path: Path, appID: String, events: [String: JSONValue]) -> JSONValue {
        let allowed: Set<String> = ["id", "wireId", "name", "triggers", "options", "input", "output", "steps", "complete", "source"]
        guard var members = object(value, at: path, allowed: allowed) else { return value }
        let id = identifier(members["id"], named: "id", at: path + [.key("id")], within: path) ?? ""
        if let wireID = members["wireId"] {
            _ = identifier(wireID, named: "wireId (\"<appId>-<id>\")", at: path + [.key("wireId")], within: path)
        } else {
            members["wireId"] = .string("\(appID)-\(id)")
        }
        if let name = members["name"] {
            if name.stringValue?.isEmpty != false { error("name must be a non-empty string", at: path + [.key("name")]) }
        } else {
            members["name"] = .string(id)
        }
        switch members["triggers"] {
        case .array(let triggers)?:
            for (index, trigger) in triggers.enumerated() { self.trigger(trigger, at: path + [.key("triggers"), .index(index)]) }
        case nil: members["triggers"] = .array([])
        case .some: error("triggers must be an array", at: path + [.key("triggers")])
        }
        if let options = members["options"] { self.options(options, at: path + [.key("options")]) } else { members["options"] = .object([:]) }
        // An input left out is the data of the event that triggers the function, when the
        // manifest's catalog has that event: what an invoke must send then.
        let triggerEvents = members["triggers"]?.arrayValue?.compactMap { $0["event"]?.stringValue } ?? []
        let inputDefault = triggerEvents.lazy.compactMap { events[$0] }.first ?? .object([:])
        for (key, fallback) in [("input", inputDefault), ("output", JSONValue.object([:]))] {
            if let schema = members[key] { self.schema(schema, at: path + [.key(key)]) } else { members[key] = fallback }
        }
        let wroteSteps = members["steps"] != nil
        switch members["steps"] {
        case .array(let steps)?:
            members["steps"] = .array(steps.enumerated().map { index, step in self.step(step, at: path + [.key("steps"), .index(index)]) })
        case nil: members["steps"] = .array([])
        case .some: error("steps must be an array", at: path + [.key("steps")])
        }
        if let complete = members["complete"] {
            if case .bool = complete {} else { error("complete must be true or false", at: path + [.key("complete")]) }
        } else {
            members["complete"] = .bool(wroteSteps)
        }
        if let source = members["source"], let fields = object(source, at: path + [.key("source")], allowed: ["file", "line"]) {
            if fields["file"]?.stringValue == nil { error("source.file must be a string", at: path + [.key("source")]) }
            if (fields["line"]?.integerValue ?? 0) < 1 { error("source.line must be an integer from 1", at: path + [.key("source")]) }
        }
        return .object(members)
    }

    /// Each option a manifest may carry, with the members the server needs in it; the values
    /// themselves are the server's to check, as it does at registration.
    private static let optionMembers: [String: (kind: String, required: [String])] = [
        "cancelOn": ("list", ["event"]), "concurrency": ("list", ["limit"]), "throttle": ("object", ["limit", "period"]),
        "rateLimit": ("object", ["limit", "period"]), "debounce": ("object", ["period"]), "priority": ("object", ["run"]),
        "batchEvents": ("object", ["maxSize", "timeout"]), "timeouts": ("object", []), "singleton": ("object", ["mode"]),
    ]

    private mutating func options(_ value: JSONValue, at path: Path) {
        let allowed = Set(Self.optionMembers.keys).union(["retries", "idempotency", "unresolved"])
        guard let members = object(value, at: path, allowed: allowed) else { return }
        for (key, option) in members.sorted(by: { $0.key < $1.key }) {
            let at = path + [.key(key)]
            switch key {
            case "retries":
                if !(0...20).contains(option.integerValue ?? -1) { error("retries must be an integer from 0 to 20", at: at) }
            case "idempotency":
                if option.stringValue == nil { error("idempotency must be a string (a CEL key)", at: at) }
            case "unresolved":
                if option.arrayValue?.allSatisfy({ $0.stringValue != nil }) != true { error("unresolved must be an array of strings", at: at) }
            default:
                guard let (kind, required) = Self.optionMembers[key] else { continue }
                let items = kind == "list" ? option.arrayValue.map { Array($0.enumerated()) } : [(0, option)]
                guard let items else {
                    error("\(key) must be an array of objects", at: at)
                    continue
                }
                for (index, item) in items {
                    let itemPath = kind == "list" ? at + [.index(index)] : at
                    guard let fields = item.objectValue else {
                        error("must be an object", at: itemPath)
                        continue
                    }
                    for name in required where fields[name] == nil { error("\(name) is missing", at: itemPath) }
                }
            }
        }
    }

    private mutating func trigger(_ value: JSONValue, at path: Path) {
        guard let members = object(value, at: path, allowed: ["event", "expression", "cron", "jitter"]) else { return }
        switch (members["event"], members["cron"]) {
        case (let event?, nil):
            if event.stringValue?.isEmpty != false { error("event must be a non-empty event name", at: path + [.key("event")]) }
            if members["jitter"] != nil { error("jitter belongs to a cron trigger", at: path + [.key("jitter")]) }
            if let expression = members["expression"] {
                if let source = expression.stringValue {
                    if let problem = SyntaxCheck.expression(source) { error("expression: \(problem)", at: path + [.key("expression")]) }
                } else {
                    error("expression must be a string (CEL over event)", at: path + [.key("expression")])
                }
            }
        case (nil, let cron?):
            if let schedule = cron.stringValue {
                if let problem = SyntaxCheck.cron(schedule) { error("cron: \(problem)", at: path + [.key("cron")]) }
            } else {
                error("cron must be a string", at: path + [.key("cron")])
            }
            if members["expression"] != nil { error("expression belongs to an event trigger", at: path + [.key("expression")]) }
            if let jitter = members["jitter"] {
                if let text = jitter.stringValue {
                    if let problem = InngestDuration(stringLiteral: text).error { error("jitter: \(problem)", at: path + [.key("jitter")]) }
                } else {
                    error("jitter must be a time string", at: path + [.key("jitter")])
                }
            }
        case (.some, .some):
            error("a trigger has either event or cron, not both", at: path)
        case (nil, nil):
            error("a trigger needs event (an event name) or cron (a schedule)", at: path)
        }
    }

    private mutating func step(_ value: JSONValue, at path: Path) -> JSONValue {
        guard var members = object(value, at: path, allowed: ["id", "wireId", "kind", "file", "line", "inLoop"]) else { return value }
        let id = identifier(members["id"], named: "id", at: path + [.key("id")], within: path, allowSpaces: true)
        if let wireID = members["wireId"] {
            let text = wireID.stringValue ?? ""
            if text.utf8.count != 40 || !text.utf8.allSatisfy({ (48...57).contains($0) || (97...102).contains($0) }) {
                error("wireId must be 40 lowercase hex digits (the SHA-1 of the id)", at: path + [.key("wireId")])
            }
        } else if let id {
            members["wireId"] = .string(StepIdentity(userID: id, index: 0).hashedID)
        }
        if let kind = members["kind"] {
            if kind.stringValue.flatMap(StepTool.init(rawValue:)) == nil {
                let kinds = StepTool.allCases.map(\.rawValue).joined(separator: ", ")
                error("kind must be one of \(kinds)", at: path + [.key("kind")])
            }
        } else {
            error("kind is missing: one of \(StepTool.allCases.map(\.rawValue).joined(separator: ", "))", at: path)
        }
        if members["file"] == nil { members["file"] = .string(self.path) }
        if members["file"]?.stringValue == nil { error("file must be a string", at: path + [.key("file")]) }
        if let line = members["line"] {
            if (line.integerValue ?? 0) < 1 { error("line must be an integer from 1", at: path + [.key("line")]) }
        } else {
            members["line"] = .integer(Int64(locator.position(of: path).line))
        }
        if let inLoop = members["inLoop"] {
            if case .bool = inLoop {} else { error("inLoop must be true or false", at: path + [.key("inLoop")]) }
        } else {
            members["inLoop"] = .bool(false)
        }
        return .object(members)
    }

    // MARK: Shapes

    /// The members of an object, after reporting each key not in `allowed`.
    private mutating func object(_ value: JSONValue, at path: Path, allowed: Set<String>) -> [String: JSONValue]? {
        guard case .object(let members) = value else {
            error("must be an object", at: path)
            return nil
        }
        for key in members.keys.sorted() where !allowed.contains(key) {
            error("unknown key \"\(key)\"; known keys: \(allowed.filter { !$0.hasPrefix("$") }.sorted().joined(separator: ", "))", at: path + [.key(key)], key: true)
        }
        return members
    }

    /// A required, non-empty string without spaces (ids), or `nil` after reporting why not.
    private mutating func identifier(_ value: JSONValue?, named name: String, at path: Path, within parent: Path, allowSpaces: Bool = false) -> String? {
        guard let value else {
            error("\(name) is missing", at: parent)
            return nil
        }
        guard let text = value.stringValue, !text.isEmpty, allowSpaces || !text.contains(where: \.isWhitespace) else {
            error("\(name) must be a non-empty string\(allowSpaces ? "" : " without spaces")", at: path)
            return nil
        }
        return text
    }

    private mutating func schema(_ value: JSONValue, at path: Path) {
        switch value {
        case .object, .bool: break
        default: error("must be a JSON Schema (an object, or true/false)", at: path)
        }
    }

    private mutating func error(_ message: String, at path: Path, key: Bool = false) {
        let (line, column) = locator.position(of: path, key: key)
        let place = path.isEmpty ? "" : path.map(\.description).joined().drop { $0 == "." } + ": "
        problems.append(.error("\(place)\(message)", at: SourcePosition(file: self.path, line: line, column: column)))
    }
}
