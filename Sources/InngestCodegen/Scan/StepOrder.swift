/// Static reasoning about which step calls can run in one execution.
enum StepOrder {
    /// Two steps in different branches of the same `if` or `switch` never both run.
    static func exclusive(_ a: ScannedStep, _ b: ScannedStep) -> Bool {
        for choice in a.branches {
            if b.branches.contains(where: { $0.statement == choice.statement && $0.branch != choice.branch }) { return true }
        }
        return false
    }

    /// The repeat index of each step as the runtime would count it on a straight run
    /// through the body: earlier uses of the same id that can run together with it.
    static func repeatIndices(_ steps: [ScannedStep]) -> [Int] {
        steps.indices.map { index in
            guard let id = steps[index].id else { return 0 }
            return steps[..<index].filter { $0.id == id && !exclusive($0, steps[index]) }.count
        }
    }
}
