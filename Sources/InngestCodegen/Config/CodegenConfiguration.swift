import Foundation
import InngestCore

/// The optional `inngest.config.json` of a target.
///
/// ```json
/// {
///   "appId": "shop",
///   "accessLevel": "public",
///   "events": { "shop/order.placed": { "type": "object", "properties": { "orderId": { "type": "string" } } } },
///   "imports": ["Manifests/billing.inngest.json"]
/// }
/// ```
package struct CodegenConfiguration: Codable, Hashable, Sendable {
    /// The app id: the prefix of wire ids and the manifest's name. Defaults to the target name, lowercased.
    package var appID: String?
    /// `internal` (default), `package` or `public`: the access level of generated declarations.
    package var accessLevel: AccessLevel
    /// The namespace of the registry and the references; default `Functions`.
    package var functionsNamespace: String
    /// The namespace of the catalog's payload types and name constants; default `Events`.
    package var eventsNamespace: String
    /// Event name → JSON Schema of its `data`.
    package var events: [String: JSONValue]
    /// Manifests of other apps, relative to the config file.
    package var imports: [String]
    /// Also bake the manifest's JSON into the generated Swift (`Functions.manifestJSON`).
    package var embedManifest: Bool

    package enum AccessLevel: String, Codable, Hashable, Sendable {
        case `internal`, package, `public`
    }

    package init(
        appID: String? = nil, accessLevel: AccessLevel = .internal, functionsNamespace: String = "Functions",
        eventsNamespace: String = "Events", events: [String: JSONValue] = [:], imports: [String] = [], embedManifest: Bool = false
    ) {
        self.appID = appID
        self.accessLevel = accessLevel
        self.functionsNamespace = functionsNamespace
        self.eventsNamespace = eventsNamespace
        self.events = events
        self.imports = imports
        self.embedManifest = embedManifest
    }

    private enum CodingKeys: String, CodingKey {
        case appID = "appId"
        case accessLevel, functionsNamespace, eventsNamespace, events, imports, embedManifest
    }

    package init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let defaults = CodegenConfiguration()
        appID = try container.decodeIfPresent(String.self, forKey: .appID)
        accessLevel = try container.decodeIfPresent(AccessLevel.self, forKey: .accessLevel) ?? defaults.accessLevel
        functionsNamespace = try container.decodeIfPresent(String.self, forKey: .functionsNamespace) ?? defaults.functionsNamespace
        eventsNamespace = try container.decodeIfPresent(String.self, forKey: .eventsNamespace) ?? defaults.eventsNamespace
        events = try container.decodeIfPresent([String: JSONValue].self, forKey: .events) ?? [:]
        imports = try container.decodeIfPresent([String].self, forKey: .imports) ?? []
        embedManifest = try container.decodeIfPresent(Bool.self, forKey: .embedManifest) ?? false
    }

    /// Reads a config file; the error names the file and what is wrong.
    package static func load(from url: URL) throws -> CodegenConfiguration {
        let data = try Data(contentsOf: url)
        do {
            return try JSONDecoder().decode(CodegenConfiguration.self, from: data)
        } catch {
            throw InputError("\(url.path): not a valid Inngest config file: \(error)")
        }
    }

    /// The app id: the configured one, else the target name lowercased (the plugin uses the
    /// same rule to name the manifest before the tool runs).
    package func resolvedAppID(targetName: String) -> String {
        appID ?? targetName.lowercased()
    }
}

/// A problem with an input as a whole (unreadable file, malformed JSON).
package struct InputError: Error, CustomStringConvertible, Sendable {
    package let description: String
    /// The problems at their places, when the input is a file with lines (a manifest).
    package let diagnostics: [CodegenDiagnostic]

    package init(_ description: String) {
        self.description = description
        self.diagnostics = []
    }

    package init(diagnostics: [CodegenDiagnostic]) {
        self.description = diagnostics.map(\.description).joined(separator: "\n")
        self.diagnostics = diagnostics
    }

    /// What a command prints: each located problem on its own line, else `error: …`.
    package var lines: [String] {
        diagnostics.isEmpty ? ["error: \(description)"] : diagnostics.map(\.description)
    }
}
