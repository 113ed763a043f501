import Foundation
import Mustache

/// Renders the generated files from the templates in a directory (`Templates/`).
package struct TemplateRenderer: Sendable {
    /// The template of the generated Swift file.
    package static let swiftTemplate = "InngestGenerated.swift"
    /// The template of the manifest file.
    package static let manifestTemplate = "Manifest.json"

    private let library: MustacheLibrary

    /// Loads every `*.mustache` file of `directory`, named without the extension
    /// (`InngestGenerated.swift.mustache` → `InngestGenerated.swift`).
    package init(directory: URL) throws {
        var library = MustacheLibrary()
        let files = try FileManager.default.contentsOfDirectory(at: directory, includingPropertiesForKeys: nil)
        for file in files where file.pathExtension == "mustache" {
            let name = String(file.lastPathComponent.dropLast(".mustache".count))
            do {
                try library.register(try String(contentsOf: file, encoding: .utf8), named: name)
            } catch {
                throw InputError("\(file.path): the template does not parse: \(error)")
            }
        }
        for required in [Self.swiftTemplate, Self.manifestTemplate] where library.getTemplate(named: required) == nil {
            throw InputError("\(directory.path): missing template \(required).mustache")
        }
        self.library = library
    }

    func render(_ object: Any, template: String) throws -> String {
        guard let text = library.render(object, withTemplate: template) else {
            throw InputError("no template named \(template)")
        }
        return text
    }
}
