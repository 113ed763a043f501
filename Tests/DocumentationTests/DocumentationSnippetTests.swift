import Foundation
import InngestCodegen
import Testing

/// Every Swift block of the README, of `Docs/` and of the DocC articles (`Sources/*/*.docc`) is
/// code that compiles: each is preceded by
/// a marker saying where that code lives in a compiled target (and must equal it), or that it
/// is a package manifest (type-checked here against PackageDescription). JSON blocks marked
/// as manifests must read without problems.
///
/// Markers, on the line before the block:
/// - `<!-- snippet: PATH#NAME -->`: the region `NAME` of the repository file `PATH`, written
///   there between `// snippet: NAME` and `// snippet: end`; `// snippet: hide` and
///   `// snippet: show` leave out the scaffolding the docs do not show (each shown part is
///   compared without its common indentation).
/// - `<!-- package manifest -->`: a `Package.swift`, or a list of targets from one.
/// - `<!-- inngest manifest -->` before a JSON block: a manifest for `inngest-codegen`.
@Suite struct DocumentationSnippetTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    static var documents: [String] {
        let docs = (try? FileManager.default.contentsOfDirectory(atPath: root.appendingPathComponent("Docs").path)) ?? []
        return ["README.md"] + docs.filter { $0.hasSuffix(".md") }.sorted().map { "Docs/\($0)" } + articles
    }

    /// The Markdown files of every DocC catalog of the package's modules, as repository paths.
    static var articles: [String] {
        let sources = root.appendingPathComponent("Sources")
        let modules = (try? FileManager.default.contentsOfDirectory(atPath: sources.path)) ?? []
        var found: [String] = []
        for module in modules.sorted() {
            let catalog = "Sources/\(module)/\(module).docc"
            guard let files = FileManager.default.enumerator(atPath: root.appendingPathComponent(catalog).path) else { continue }
            for case let file as String in files where file.hasSuffix(".md") { found.append("\(catalog)/\(file)") }
        }
        return found.sorted()
    }

    @Test(arguments: documents)
    func everySwiftBlockIsCompiledCode(_ document: String) throws {
        let blocks = try CodeBlock.all(in: Self.root.appendingPathComponent(document))
        if document == "README.md" { #expect(blocks.contains { $0.language == "swift" }, "the README has no Swift block: is the path right?") }
        for block in blocks where block.language == "swift" {
            switch block.marker {
            case .snippet(let path, let name)?:
                let region = try Snippet.region(name, in: Self.root.appendingPathComponent(path))
                let expected = Snippet.normalized(region)
                let written = Snippet.normalized(block.lines)
                if written != expected {
                    Issue.record("\(document):\(block.line): the block differs from \(path)#\(name) (- document, + compiled):\n\(Snippet.diff(written: written, compiled: expected))")
                }
            case .packageManifest?:
                let problems = try PackageManifestCheck.typecheck(block.lines)
                #expect(problems.isEmpty, "\(document):\(block.line): the manifest does not type-check:\n\(problems)")
            case .inngestManifest?, nil:
                Issue.record("\(document):\(block.line): a Swift block without a marker; say where its code is compiled (<!-- snippet: PATH#NAME -->) or that it is a package manifest")
            }
        }
    }

    @Test(arguments: documents)
    func everyMarkedInngestManifestReads(_ document: String) throws {
        for block in try CodeBlock.all(in: Self.root.appendingPathComponent(document)) where block.marker == .inngestManifest {
            let (_, diagnostics) = ManifestReader.check(block.lines.joined(separator: "\n"), path: "\(document):\(block.line)")
            #expect(diagnostics.isEmpty, "\(diagnostics.map(\.description).joined(separator: "\n"))")
        }
    }

    @Test func theCatalogsOfTheDocumentedModulesAreFound() {
        for module in ["Inngest", "InngestEngine", "InngestTesting", "InngestHummingbird", "InngestVapor", "InngestAsyncHTTPClient"] {
            #expect(Self.articles.contains("Sources/\(module)/\(module).docc/\(module).md"), "no landing page for \(module)")
        }
    }

    /// Relative links and images point at files that exist: a link from the README or `Docs/`
    /// relative to the document, an image of a DocC article in its catalog.
    @Test(arguments: documents)
    func everyRelativeLinkResolves(_ document: String) throws {
        let file = Self.root.appendingPathComponent(document)
        let text = try String(contentsOf: file, encoding: .utf8)
        let parts = document.split(separator: "/")
        let catalog = parts.firstIndex { $0.hasSuffix(".docc") }.map { parts[...$0].joined(separator: "/") }
        let catalogFiles = catalog.map { Self.fileNames(under: $0) } ?? []
        for target in MarkdownLink.targets(in: text) {
            if target.contains("://") || target.hasPrefix("#") || target.hasPrefix("doc:") || target.hasPrefix("mailto:") { continue }
            let path = String(target.split(separator: "#", maxSplits: 1, omittingEmptySubsequences: false)[0])
            if catalog != nil {
                #expect(catalogFiles.contains(path), "\(document): \(target) is not a file of its catalog")
            } else {
                let resolved = file.deletingLastPathComponent().appendingPathComponent(path).standardizedFileURL
                #expect(FileManager.default.fileExists(atPath: resolved.path), "\(document): the link \(target) points at no file")
            }
        }
    }

    /// The names (without folders) of the files under a repository folder.
    static func fileNames(under folder: String) -> Set<String> {
        guard let files = FileManager.default.enumerator(atPath: root.appendingPathComponent(folder).path) else { return [] }
        var names: Set<String> = []
        for case let file as String in files { names.insert(URL(fileURLWithPath: file).lastPathComponent) }
        return names
    }
}

/// The targets of the inline links and images of a Markdown text, outside code.
enum MarkdownLink {
    static func targets(in text: String) -> [String] {
        var targets: [String] = []
        var inFence = false
        for line in text.components(separatedBy: "\n") {
            if line.trimmingCharacters(in: .whitespaces).hasPrefix("```") {
                inFence.toggle()
                continue
            }
            if inFence { continue }
            // Code spans hold no links: drop them before looking for `](`.
            let prose = line.split(separator: "`", omittingEmptySubsequences: false).enumerated().filter { $0.offset % 2 == 0 }.map(\.element).joined()
            var rest = Substring(prose)
            while let open = rest.range(of: "](") {
                let after = rest[open.upperBound...]
                guard let close = after.firstIndex(of: ")") else { break }
                targets.append(String(after[..<close]))
                rest = after[close...]
            }
        }
        return targets
    }
}

/// A fenced block of a Markdown file and the marker before it.
struct CodeBlock {
    enum Marker: Equatable {
        case snippet(path: String, name: String)
        case packageManifest
        case inngestManifest
    }

    let language: String
    /// 1-based line of the opening fence.
    let line: Int
    let lines: [String]
    let marker: Marker?

    static func all(in file: URL) throws -> [CodeBlock] {
        let lines = try String(contentsOf: file, encoding: .utf8).components(separatedBy: "\n")
        var blocks: [CodeBlock] = []
        var index = 0
        while index < lines.count {
            let line = lines[index]
            guard line.hasPrefix("```"), line.count > 3 else {
                index += 1
                continue
            }
            let language = String(line.dropFirst(3)).trimmingCharacters(in: .whitespaces)
            let previous = lines[..<index].last { !$0.trimmingCharacters(in: .whitespaces).isEmpty }
            var body: [String] = []
            var end = index + 1
            while end < lines.count, !lines[end].hasPrefix("```") {
                body.append(lines[end])
                end += 1
            }
            blocks.append(CodeBlock(language: language, line: index + 1, lines: body, marker: previous.flatMap(marker)))
            index = end + 1
        }
        return blocks
    }

    private static func marker(_ line: String) -> Marker? {
        let text = line.trimmingCharacters(in: .whitespaces)
        guard text.hasPrefix("<!--"), text.hasSuffix("-->") else { return nil }
        let content = text.dropFirst(4).dropLast(3).trimmingCharacters(in: .whitespaces)
        if content == "package manifest" { return .packageManifest }
        if content == "inngest manifest" { return .inngestManifest }
        guard content.hasPrefix("snippet:") else { return nil }
        let reference = content.dropFirst("snippet:".count).trimmingCharacters(in: .whitespaces)
        let parts = reference.split(separator: "#", maxSplits: 1).map(String.init)
        guard parts.count == 2 else { return nil }
        return .snippet(path: parts[0], name: parts[1])
    }
}

/// Regions of source files that documentation shows.
enum Snippet {
    struct Missing: Error, CustomStringConvertible {
        let description: String
    }

    /// The shown lines of region `name` of `file`, each shown part without its common indentation.
    static func region(_ name: String, in file: URL) throws -> [String] {
        let lines = try String(contentsOf: file, encoding: .utf8).components(separatedBy: "\n")
        guard let start = lines.firstIndex(where: { $0.trimmingCharacters(in: .whitespaces) == "// snippet: \(name)" }) else {
            throw Missing(description: "\(file.path) has no region \"// snippet: \(name)\"")
        }
        var shown: [String] = []
        var part: [String] = []
        var hidden = false
        for line in lines[(start + 1)...] {
            switch line.trimmingCharacters(in: .whitespaces) {
            case "// snippet: end":
                return shown + dedented(part)
            case "// snippet: hide":
                shown += dedented(part)
                part = []
                hidden = true
            case "// snippet: show":
                hidden = false
            default:
                if !hidden { part.append(line) }
            }
        }
        throw Missing(description: "\(file.path): region \"\(name)\" has no \"// snippet: end\"")
    }

    static func dedented(_ lines: [String]) -> [String] {
        let indents = lines.filter { !$0.trimmingCharacters(in: .whitespaces).isEmpty }.map { $0.prefix { $0 == " " }.count }
        let common = indents.min() ?? 0
        return lines.map { $0.count >= common ? String($0.dropFirst(common)) : $0.trimmingCharacters(in: .whitespaces) }
    }

    /// Without trailing spaces and without blank lines at either end.
    static func normalized(_ lines: [String]) -> [String] {
        var result = lines.map { line in String(line.reversed().drop { $0 == " " }.reversed()) }
        while result.first?.isEmpty == true { result.removeFirst() }
        while result.last?.isEmpty == true { result.removeLast() }
        return result
    }

    /// The lines that differ, `-` as written in the document, `+` as compiled.
    static func diff(written: [String], compiled: [String]) -> String {
        var output: [String] = []
        for index in 0..<max(written.count, compiled.count) {
            let left = index < written.count ? written[index] : nil
            let right = index < compiled.count ? compiled[index] : nil
            if left == right { continue }
            if let left { output.append("  \(index + 1) - \(left)") }
            if let right { output.append("  \(index + 1) + \(right)") }
        }
        return output.joined(separator: "\n")
    }
}

/// Type-checks a `Package.swift` (or a list of targets of one) against the toolchain's
/// PackageDescription, the way SwiftPM compiles manifests.
enum PackageManifestCheck {
    static func typecheck(_ lines: [String]) throws -> String {
        var text = lines.joined(separator: "\n")
        if !text.contains("let package") {
            text = "import PackageDescription\nlet package = Package(name: \"Check\", targets: [\n\(text)\n])\n"
        }
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("manifest-check-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let manifest = directory.appendingPathComponent("Package.swift")
        try text.write(to: manifest, atomically: true, encoding: .utf8)
        let swiftc = try toolchainBinary("swiftc")
        let manifestAPI = swiftc.deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("lib/swift/pm/ManifestAPI")
        let process = Process()
        process.executableURL = swiftc
        process.arguments = ["-typecheck", "-swift-version", "6", "-I", manifestAPI.path, "-package-description-version", "6.1.0", manifest.path]
        let errors = Pipe()
        process.standardError = errors
        process.standardOutput = errors
        try process.run()
        let output = errors.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return process.terminationStatus == 0 ? "" : String(decoding: output, as: UTF8.self)
    }

    private static func toolchainBinary(_ name: String) throws -> URL {
        for directory in (ProcessInfo.processInfo.environment["PATH"] ?? "").split(separator: ":") {
            let candidate = URL(fileURLWithPath: String(directory)).appendingPathComponent(name)
            if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
        }
        throw Snippet.Missing(description: "no \(name) on PATH")
    }
}
