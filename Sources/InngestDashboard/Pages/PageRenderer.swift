import Foundation
import Mustache

/// Renders the pages from the templates: a page's body inside the layout.
struct PageRenderer: Sendable {
    let basePath: String
    let title: String
    private let library: MustacheLibrary

    /// The pages in the navigation bar: (path, label).
    static let navigation = [("runs", "Runs"), ("functions", "Functions"), ("apps", "Apps"), ("events", "Events")]

    init(basePath: String, title: String) {
        self.basePath = basePath
        self.title = title
        var library = MustacheLibrary()
        let templates = [
            ("layout", LayoutTemplates.layout), ("login", LayoutTemplates.login), ("notFound", LayoutTemplates.notFound),
            ("runs", RunTemplates.runs), ("runsTable", RunTemplates.runsTable), ("run", RunTemplates.run), ("runDetail", RunTemplates.runDetail),
            ("functions", CatalogTemplates.functions), ("function", CatalogTemplates.function), ("apps", CatalogTemplates.apps),
            ("events", CatalogTemplates.events), ("event", CatalogTemplates.event),
        ]
        for (name, text) in templates {
            // The templates are this module's constants; a parse error is caught by the tests that render each page.
            if let template = try? MustacheTemplate(string: text) { library.register(template, named: name) }
        }
        self.library = library
    }

    /// A fragment: one template rendered with `context` (plus `base`).
    func fragment(_ template: String, _ context: [String: Any]) -> String {
        var context = context
        context["base"] = basePath
        return library.render(context, withTemplate: template) ?? ""
    }

    /// A whole page: the template's fragment inside the layout.
    func page(_ template: String, _ context: [String: Any], pageTitle: String, section: String?) -> String {
        let body = fragment(template, context)
        let nav = Self.navigation.map { path, label -> [String: Any] in ["path": path, "label": label, "current": path == section] }
        return library.render(
            ["base": basePath, "title": title, "pageTitle": pageTitle, "nav": nav, "body": body] as [String: Any], withTemplate: "layout") ?? body
    }

    /// A page with a message only, escaped by hand (used where no renderer is at hand).
    static func plainPage(title: String, message: String) -> String {
        func escape(_ text: String) -> String {
            text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;").replacingOccurrences(of: ">", with: "&gt;")
                .replacingOccurrences(of: "\"", with: "&quot;")
        }
        return "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>\(escape(title))</title></head><body><h1>\(escape(title))</h1><p>\(escape(message))</p></body></html>"
    }
}
