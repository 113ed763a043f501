/// The macros that iterate a list (its elements) or a map (its keys), as CEL defines them:
/// `range.all(x, p)`, `range.exists(x, p)`, `range.exists_one(x, p)`, `range.map(x, t)`,
/// `range.map(x, p, t)` and `range.filter(x, p)`.
enum ComprehensionKind: String, Sendable, CaseIterable {
    case all
    case exists
    case existsOne = "exists_one"
    case map
    case filter

    /// The expressions after the variable: one (the predicate or transform), or for `map`
    /// optionally two (a filter, then the transform).
    func acceptsBodies(_ count: Int) -> Bool {
        self == .map ? (1...2).contains(count) : count == 1
    }
}

/// A parsed macro call; `variable` is bound to each element in turn while `predicate`
/// and `transform` are evaluated, and shadows any variable of the same name outside.
struct Comprehension: Sendable {
    let kind: ComprehensionKind
    let range: ExpressionNode
    let variable: String
    /// The test of `all`, `exists`, `exists_one`, `filter`, and of the three-argument `map`.
    let predicate: ExpressionNode?
    /// The element expression of `map`.
    let transform: ExpressionNode?
    /// Where the macro's name is written, for errors about the range.
    let column: Int
}
