import Testing

@testable import Inngest
@testable import InngestCore

/// Hostile or merely large input must end in a clear error or a result, never in a
/// stack overflow or a trap.
@Suite struct ExpressionLimitsTests {
    let depth = CELExpression.maximumNestingDepth

    @Test func limitsAreTheDocumentedOnes() {
        #expect(CELExpression.maximumNestingDepth == 64)
        #expect(CELExpression.maximumSourceLength == 16_384)
    }

    @Test func nestingUpToTheLimitIsAccepted() throws {
        let parens = String(repeating: "(", count: depth) + "1" + String(repeating: ")", count: depth)
        #expect(try evaluate(parens, [:]) == 1)
        let lists = String(repeating: "[", count: depth) + "7" + String(repeating: "]", count: depth)
        #expect(try CELExpression(lists).evaluate([:]) != nil)
        let nots = String(repeating: "!", count: depth) + "true"
        #expect(try evaluate(nots, [:]) == true)
        let conditionals = String(repeating: "false ? 0 : ", count: depth) + "5"
        #expect(try evaluate(conditionals, [:]) == 5)
    }

    @Test func nestingPastTheLimitIsRejected() {
        let parens = String(repeating: "(", count: depth + 1) + "1" + String(repeating: ")", count: depth + 1)
        let error = rejection(parens)
        #expect(error?.kind == .limitExceeded)
        #expect(error?.message == "expression nests deeper than the limit of 64 levels")
        #expect(error?.column == depth + 1)

        for source in [
            String(repeating: "[", count: depth + 1) + "1" + String(repeating: "]", count: depth + 1),
            String(repeating: "!", count: depth + 1) + "true",
            String(repeating: "-", count: depth + 1) + "x",
            String(repeating: "size(", count: depth + 1) + "'a'" + String(repeating: ")", count: depth + 1),
            String(repeating: "{'a': ", count: depth + 1) + "1" + String(repeating: "}", count: depth + 1),
            "event.data" + String(repeating: "[event.data", count: depth + 1) + String(repeating: "]", count: depth + 1),
            String(repeating: "true ? 1 : ", count: depth + 1) + "2",
        ] {
            #expect(rejection(source)?.kind == .limitExceeded, "\(source.prefix(20))…")
        }
    }

    @Test func veryDeepInputFailsCleanly() {
        // Thousands of levels: a recursive parser without the limit would overflow the stack.
        for opener in ["(", "[", "!", "-", "size("] {
            let source = String(repeating: opener, count: 15_000 / opener.count)
            let error = rejection(source)
            #expect(error?.kind == .limitExceeded)
            // At the opener one level too deep; for `size(` that is its '('.
            #expect(error?.column == (depth + 1) * opener.count)
        }
    }

    @Test func longFlatChainsNeedNoDeepRecursion() throws {
        // Operators of one precedence and member chains are flat, so length is not depth.
        let sum = Array(repeating: "1", count: 5_000).joined(separator: "+")
        #expect(try evaluate(sum, [:]) == 5_000)
        let alternatives = (0..<1_000).map { "x == \($0)" }.joined(separator: " || ")
        #expect(try CELExpression(alternatives).matches(["x": 999]))
        #expect(try !CELExpression(alternatives).matches(["x": 1_000]))
        let fields = "event" + String(repeating: ".a", count: 5_000)
        #expect(try evaluate(fields + " == null") == true)
        let indexes = "event" + String(repeating: "[0]", count: 4_000)
        #expect(try evaluate(indexes) == nil)
        let list = "[" + Array(repeating: "[1]", count: 3_000).joined(separator: ",") + "].size()"
        #expect(try evaluate(list, [:]) == 3_000)
    }

    @Test func sourceLengthIsLimited() throws {
        let atLimit = "'" + String(repeating: "a", count: CELExpression.maximumSourceLength - 2) + "'"
        #expect(try CELExpression(atLimit).source.utf8.count == CELExpression.maximumSourceLength)

        let overLimit = "'" + String(repeating: "a", count: CELExpression.maximumSourceLength - 1) + "'"
        let error = rejection(overLimit)
        #expect(error?.kind == .limitExceeded)
        #expect(error?.message == "expression is longer than the limit of 16384 bytes (16385 bytes)")
        #expect(error?.column == 16_385)
    }

    @Test func sourceLengthCountsBytes() {
        // A quote and 8,192 two-byte characters: the last 'é' is the one that does not fit.
        let source = "'" + String(repeating: "é", count: CELExpression.maximumSourceLength / 2) + "'"
        let error = rejection(source)
        #expect(error?.kind == .limitExceeded)
        #expect(error?.column == 8_193)
    }

    @Test func longSourcesAreShortenedInDescriptions() {
        let source = "event.data.x == 1 && " + String(repeating: "event.data.y == 2 && ", count: 30) + "#"
        guard let error = rejection(source) else { return }
        #expect(error.message == "unexpected character '#'")
        #expect(error.column == source.unicodeScalars.count)
        #expect(error.description.hasSuffix("&& #\""))
        #expect(error.description.contains("in \"…"))
        #expect(error.description.count < 200)
    }
}
