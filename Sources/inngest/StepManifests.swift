import ArgumentParser
import Foundation
import Inngest

/// Reads `--manifest` files: each function's entry of an app's step manifest, by composite id.
enum StepManifests {
    static func load(_ paths: [String]) throws -> [String: JSONValue] {
        var manifests: [String: JSONValue] = [:]
        for path in paths {
            let json: JSONValue
            do {
                json = try JSONText.read(Array(try Data(contentsOf: URL(fileURLWithPath: path))))
            } catch {
                throw ValidationError("--manifest \(path): not a readable JSON file: \(error)")
            }
            guard let appID = json["appId"]?.stringValue, let functions = json["functions"]?.arrayValue else {
                throw ValidationError("--manifest \(path): not a step manifest (it needs \"appId\" and \"functions\")")
            }
            for function in functions {
                guard let id = function["id"]?.stringValue else { continue }
                manifests[function["wireId"]?.stringValue ?? "\(appID)-\(id)"] = function
            }
        }
        return manifests
    }
}
