/// A readable line diff of two texts, for golden-file failures: removed lines as `-`, added
/// lines as `+`, each with its line number in the file it comes from.
enum LineDiff {
    static func describe(expected: String, actual: String, maxLines: Int = 40) -> String {
        let old = expected.split(separator: "\n", omittingEmptySubsequences: false)
        let new = actual.split(separator: "\n", omittingEmptySubsequences: false)
        var lines: [(position: Int, isInsertion: Bool, text: String)] = []
        for change in new.difference(from: old) {
            switch change {
            case .remove(let offset, let line, _): lines.append((offset, false, "-\(offset + 1): \(line)"))
            case .insert(let offset, let line, _): lines.append((offset, true, "+\(offset + 1): \(line)"))
            }
        }
        // Removals come last-first and insertions first-last: order by position, a removal
        // before the insertion that replaces it.
        lines.sort { ($0.position, $0.isInsertion ? 1 : 0) < ($1.position, $1.isInsertion ? 1 : 0) }
        var shown = lines.prefix(maxLines).map(\.text)
        if lines.count > maxLines { shown.append("… \(lines.count - maxLines) more changed lines") }
        return shown.joined(separator: "\n")
    }
}
