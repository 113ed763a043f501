extension CELExpression {
    /// The expression that matches two events on one field, Inngest's `match` shorthand
    /// for `waitForEvent` and `cancelOn`: `match(field: "data.invoice_id")` is
    /// `event.data.invoice_id == async.data.invoice_id`.
    ///
    /// - Parameter field: A path relative to each event, such as `"data.invoice_id"`:
    ///   identifiers (`[A-Za-z_][A-Za-z0-9_]*`) separated by dots. It must not start with
    ///   `event.` or `async.`, since both are added here.
    /// - Throws: ``ExpressionError`` of kind ``ExpressionError/Kind/invalidField`` naming the
    ///   column of the first bad character, with the field as its source.
    package static func match(field: String) throws -> CELExpression {
        try validate(matchField: field)
        return try CELExpression("event.\(field) == async.\(field)")
    }

    private static func validate(matchField field: String) throws {
        func invalid(_ message: String, _ column: Int) -> ExpressionError {
            ExpressionError(kind: .invalidField, message: message, source: field, column: column)
        }
        if field.isEmpty { throw invalid("empty match field", 1) }
        // The field appears twice next to 16 bytes of `event.`, ` == ` and `async.`.
        let limit = (maximumSourceLength - 16) / 2
        if field.utf8.count > limit {
            throw invalid("match field is longer than the limit of \(limit) bytes", 1)
        }

        var column = 1
        for segment in field.unicodeScalars.split(separator: ".", omittingEmptySubsequences: false) {
            guard let first = segment.first else {
                throw invalid("empty segment in match field", column)
            }
            guard first == "_" || isASCIILetter(first) else {
                throw invalid("match field segments must start with a letter or '_'", column)
            }
            for (offset, scalar) in segment.enumerated()
            where !(scalar == "_" || isASCIILetter(scalar) || isASCIIDigit(scalar)) {
                throw invalid("invalid character '\(scalar.escaped(asASCII: true))' in match field", column + offset)
            }
            let name = String(String.UnicodeScalarView(segment))
            if column == 1, name == "event" || name == "async" {
                throw invalid("match field is relative to each event; drop the leading '\(name).'", column)
            }
            // Keywords are tokens of their own and cannot follow a '.'.
            if ["true", "false", "null", "in"].contains(name) {
                throw invalid("'\(name)' is a keyword and cannot be a match field segment", column)
            }
            column += segment.count + 1
        }
    }

    private static func isASCIILetter(_ scalar: Unicode.Scalar) -> Bool {
        ("a"..."z").contains(scalar) || ("A"..."Z").contains(scalar)
    }

    private static func isASCIIDigit(_ scalar: Unicode.Scalar) -> Bool {
        ("0"..."9").contains(scalar)
    }
}
