import SwiftSyntax

/// Turns syntax nodes into ``SourcePosition``s of one file.
struct SourceLocator {
    let file: String
    let converter: SourceLocationConverter

    init(file: String, tree: SourceFileSyntax) {
        self.file = file
        converter = SourceLocationConverter(fileName: file, tree: tree)
    }

    /// The position of the node's first token, past leading comments and whitespace.
    func position(of node: some SyntaxProtocol) -> SourcePosition {
        let location = converter.location(for: node.positionAfterSkippingLeadingTrivia)
        return SourcePosition(file: file, line: location.line, column: location.column)
    }
}
