import Foundation
import Inngest

@testable import InngestCodegen

/// Scans in-memory sources and analyses them as one target.
enum Analysis {
    static func run(_ sources: [String: String], configuration: CodegenConfiguration = CodegenConfiguration(), imports: [Manifest] = []) -> AnalyzedTarget {
        let files = sources.keys.sorted().map { path in SourceScanner.scan(source: sources[path] ?? "", path: path) }
        return TargetAnalyzer(appID: configuration.resolvedAppID(targetName: "App"), configuration: configuration, imports: imports, packageDirectory: nil)
            .analyze(files)
    }

    static func diagnostics(_ source: String, configuration: CodegenConfiguration = CodegenConfiguration()) -> [CodegenDiagnostic] {
        run(["App.swift": source], configuration: configuration).diagnostics
    }

    /// The 1-based position where the `occurrence`-th `text` starts in `source`.
    static func position(of text: String, occurrence: Int = 1, in source: String, file: String = "App.swift") -> SourcePosition? {
        var searchStart = source.startIndex
        var found: Range<String.Index>?
        for _ in 0..<occurrence {
            guard let range = source.range(of: text, range: searchStart..<source.endIndex) else { return nil }
            found = range
            searchStart = range.upperBound
        }
        guard let found else { return nil }
        let before = source[..<found.lowerBound]
        let line = before.filter { $0 == "\n" }.count + 1
        let lineStart = before.lastIndex(of: "\n").map { source.index(after: $0) } ?? source.startIndex
        let column = source.utf8.distance(from: lineStart, to: found.lowerBound) + 1
        return SourcePosition(file: file, line: line, column: column)
    }
}
