/// A problem with an ``CELExpression``: rejected text when it is created, or an invalid
/// operation while it is evaluated.
///
/// Every error names the place it applies to, so that a function's configuration can
/// be fixed from the message alone, e.g.
/// `unsupported method 'split' at column 12 in "event.name.split('/')"`.
package struct ExpressionError: Error, Sendable, Hashable, CustomStringConvertible {
    /// What went wrong, broadly.
    package enum Kind: String, Sendable, Hashable, CaseIterable {
        /// Malformed text: a bad token, an unbalanced bracket, input after the end, an empty expression.
        case syntax
        /// Well-formed CEL outside the supported subset: unknown functions or methods (such as
        /// those of cel-go's extensions), bytes or unsigned literals.
        case unsupported
        /// The source is longer than ``CELExpression/maximumSourceLength`` or nests deeper than
        /// ``CELExpression/maximumNestingDepth``, or an evaluation's macros range over more than
        /// ``CELExpression/maximumIterations`` elements.
        case limitExceeded
        /// A field path given to ``CELExpression/match(field:)`` is not dotted identifiers.
        case invalidField
        /// An operation that has no value at run time: integer overflow, division by zero,
        /// arithmetic or a function applied to operands of the wrong types, a malformed
        /// regular expression, timestamp or duration, a time value out of range.
        case evaluation
    }

    /// What went wrong, broadly; match on it rather than on the message.
    package let kind: Kind
    /// The problem alone, without its place, e.g. `unsupported function 'trim'`.
    package let message: String
    /// The expression text (or the field path, for ``Kind/invalidField``).
    package let source: String
    /// The 1-based column of the problem, counted in Unicode scalars; one past the last
    /// character for a problem at the end of the input.
    package let column: Int

    /// Creates an error; the library's own errors come from parsing and evaluation.
    package init(kind: Kind, message: String, source: String, column: Int) {
        self.kind = kind
        self.message = message
        self.source = source
        self.column = column
    }

    /// The message with its place: `message at column N in "source"`, the source cut to a
    /// window around the column when it is long.
    package var description: String {
        "\(message) at column \(column) in \"\(Self.excerpt(of: source, around: column))\""
    }

    /// Sources may be up to 16 KiB; quoting all of it would drown the message, so a long
    /// source is cut to a window around the column.
    static func excerpt(of source: String, around column: Int) -> String {
        let scalars = Array(source.unicodeScalars)
        let width = 120
        guard scalars.count > width else { return source }
        let start = max(0, min(column - 1 - width / 2, scalars.count - width))
        let end = min(scalars.count, start + width)
        var text = String(String.UnicodeScalarView(scalars[start..<end]))
        if start > 0 { text = "…" + text }
        if end < scalars.count { text += "…" }
        return text
    }
}
