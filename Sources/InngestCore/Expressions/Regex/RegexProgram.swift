/// A compiled regular expression, run as a Thompson NFA (a Pike VM without captures): the
/// input is read once, keeping the set of live states, so the time is bounded by the input
/// length times the program size whatever the pattern; there is no backtracking to run away.
struct RegexProgram {
    /// The longest accepted pattern, in Unicode scalars.
    static let maximumPatternLength = 4096
    /// The most instructions a pattern may compile to; `{n,m}` repeats its operand.
    static let maximumInstructions = 20_000
    /// The most state visits one match may make: input length times program size.
    static let maximumSteps = 50_000_000

    enum Instruction {
        case scalar(Unicode.Scalar, foldCase: Bool)
        case set(RegexCharacterSet)
        case any(matchesNewline: Bool)
        /// Continue at both targets.
        case split(Int, Int)
        case jump(Int)
        case assertion(RegexAssertion)
        case match
    }

    private(set) var instructions: [Instruction] = []

    /// Parses and compiles `pattern`.
    ///
    /// - Throws: ``RegexFailure`` for a pattern that is malformed, uses unsupported syntax
    ///   or is larger than the limits above.
    init(pattern: String) throws {
        let length = pattern.unicodeScalars.count
        guard length <= Self.maximumPatternLength else {
            throw RegexFailure(
                message: "regular expression is longer than the limit of \(Self.maximumPatternLength) characters")
        }
        try emit(try RegexParser.parse(pattern))
        try append(.match)
    }

    // MARK: - Compiling

    private mutating func append(_ instruction: Instruction) throws {
        guard instructions.count < Self.maximumInstructions else {
            throw RegexFailure(
                message: "regular expression compiles to more than \(Self.maximumInstructions) instructions")
        }
        instructions.append(instruction)
    }

    /// Placeholder for a split or jump whose target is not yet known.
    private mutating func reserve() throws -> Int {
        try append(.jump(-1))
        return instructions.count - 1
    }

    private mutating func emit(_ node: RegexNode) throws {
        switch node {
        case .empty:
            break
        case .scalar(let scalar, let foldCase):
            try append(.scalar(scalar, foldCase: foldCase))
        case .set(let set):
            try append(.set(set))
        case .any(let matchesNewline):
            try append(.any(matchesNewline: matchesNewline))
        case .assertion(let assertion):
            try append(.assertion(assertion))
        case .concatenation(let items):
            for item in items { try emit(item) }
        case .alternation(let branches):
            var exits: [Int] = []
            for (index, branch) in branches.enumerated() {
                if index == branches.count - 1 {
                    try emit(branch)
                } else {
                    let split = try reserve()
                    try emit(branch)
                    exits.append(try reserve())
                    instructions[split] = .split(split + 1, instructions.count)
                }
            }
            for exit in exits { instructions[exit] = .jump(instructions.count) }
        case .repetition(let operand, let minimum, let maximum):
            for _ in 0..<minimum { try emit(operand) }
            if let maximum {
                // Each optional copy may be skipped to the end.
                var skips: [Int] = []
                for _ in minimum..<maximum {
                    skips.append(try reserve())
                    try emit(operand)
                }
                for skip in skips { instructions[skip] = .split(skip + 1, instructions.count) }
            } else {
                let loop = try reserve()
                try emit(operand)
                try append(.jump(loop))
                instructions[loop] = .split(loop + 1, instructions.count)
            }
        }
    }

    // MARK: - Matching

    /// Whether the pattern matches anywhere in `text` (RE2's unanchored search, which is
    /// what CEL's `matches` does).
    ///
    /// - Throws: ``RegexFailure`` when the text is so long that the search would exceed
    ///   ``maximumSteps``.
    func matches(_ text: String) throws -> Bool {
        let input = Array(text.unicodeScalars)
        guard steps(for: text) <= Self.maximumSteps else {
            throw RegexFailure(
                message: "matching a \(input.count)-character string against this regular expression "
                    + "would take more than \(Self.maximumSteps) steps")
        }
        var current = StateSet(capacity: instructions.count)
        var next = StateSet(capacity: instructions.count)
        for position in 0...input.count {
            // Unanchored: a new attempt starts at every position.
            if addState(0, to: &current, input: input, at: position) { return true }
            guard position < input.count else { break }
            let scalar = input[position]
            next.clear()
            for pc in current.members where consumes(instructions[pc], scalar) {
                if addState(pc + 1, to: &next, input: input, at: position + 1) { return true }
            }
            swap(&current, &next)
        }
        return false
    }

    /// The most steps matching `text` can take: one pass over its scalars, each visiting at
    /// most every instruction (saturating rather than overflowing).
    func steps(for text: String) -> Int {
        let (steps, overflow) = (text.unicodeScalars.count + 1).multipliedReportingOverflow(by: instructions.count)
        return overflow ? Int.max : steps
    }

    private func consumes(_ instruction: Instruction, _ scalar: Unicode.Scalar) -> Bool {
        switch instruction {
        case .scalar(let expected, let foldCase):
            return foldCase ? RegexCaseFolding.equal(expected, scalar) : expected == scalar
        case .set(let set):
            return set.contains(scalar)
        case .any(let matchesNewline):
            return matchesNewline || scalar != "\n"
        default:
            return false
        }
    }

    /// Adds `start` and everything reachable from it without reading input (splits,
    /// jumps, assertions that hold at `position`); true when that reaches `.match`.
    /// An explicit stack, so that a long chain of splits cannot overflow the call stack.
    private func addState(_ start: Int, to set: inout StateSet, input: [Unicode.Scalar], at position: Int) -> Bool {
        var stack = [start]
        while let pc = stack.popLast() {
            guard set.insert(pc) else { continue }
            switch instructions[pc] {
            case .match:
                return true
            case .jump(let target):
                stack.append(target)
            case .split(let first, let second):
                stack.append(second)
                stack.append(first)
            case .assertion(let assertion):
                if holds(assertion, input: input, at: position) { stack.append(pc + 1) }
            case .scalar, .set, .any:
                break
            }
        }
        return false
    }

    private func holds(_ assertion: RegexAssertion, input: [Unicode.Scalar], at position: Int) -> Bool {
        let before = position > 0 ? input[position - 1] : nil
        let after = position < input.count ? input[position] : nil
        switch assertion {
        case .beginningOfText: return before == nil
        case .endOfText: return after == nil
        case .beginningOfLine: return before == nil || before == "\n"
        case .endOfLine: return after == nil || after == "\n"
        case .wordBoundary: return isWord(before) != isWord(after)
        case .notWordBoundary: return isWord(before) == isWord(after)
        }
    }

    private func isWord(_ scalar: Unicode.Scalar?) -> Bool {
        guard let scalar else { return false }
        return RegexCharacterSet.wordCharacters.contains(scalar)
    }
}

/// A set of program counters with insertion order, cleared in O(members): a sparse set.
private struct StateSet {
    private var present: [Bool]
    private(set) var members: [Int] = []

    init(capacity: Int) {
        present = Array(repeating: false, count: capacity)
    }

    /// Inserts `pc`; false when it was already there.
    mutating func insert(_ pc: Int) -> Bool {
        guard !present[pc] else { return false }
        present[pc] = true
        members.append(pc)
        return true
    }

    mutating func clear() {
        for pc in members { present[pc] = false }
        members.removeAll(keepingCapacity: true)
    }
}
