/// A parsed regular expression of the RE2 syntax that CEL's `matches` uses.
indirect enum RegexNode {
    case empty
    /// One Unicode scalar, compared case-insensitively when `foldCase` is set.
    case scalar(Unicode.Scalar, foldCase: Bool)
    case set(RegexCharacterSet)
    /// `.`, which matches a newline only under the `s` flag.
    case any(matchesNewline: Bool)
    case concatenation([RegexNode])
    case alternation([RegexNode])
    /// `node{minimum,maximum}`; a `nil` maximum is unbounded (`*`, `+`, `{n,}`).
    case repetition(RegexNode, minimum: Int, maximum: Int?)
    case assertion(RegexAssertion)
}

/// Zero-width tests, checked between two scalars of the input.
enum RegexAssertion {
    /// `\A`, and `^` without the `m` flag.
    case beginningOfText
    /// `\z`, and `$` without the `m` flag.
    case endOfText
    /// `^` with the `m` flag.
    case beginningOfLine
    /// `$` with the `m` flag.
    case endOfLine
    /// `\b`, between an ASCII word character and a non-word one (as in RE2).
    case wordBoundary
    /// `\B`
    case notWordBoundary
}

/// A class such as `[a-z_]`, `\d` or `[^\s]`: ranges of scalar values, possibly negated.
struct RegexCharacterSet {
    static let maximumScalar: UInt32 = 0x10FFFF
    static let digits = RegexCharacterSet(ranges: [0x30...0x39])
    static let wordCharacters = RegexCharacterSet(ranges: [0x30...0x39, 0x41...0x5A, 0x5F...0x5F, 0x61...0x7A])
    /// RE2's `\s`: tab, newline, form feed, carriage return and space (not vertical tab).
    static let whitespace = RegexCharacterSet(ranges: [0x09...0x0A, 0x0C...0x0D, 0x20...0x20])

    var ranges: [ClosedRange<UInt32>]
    var negated = false
    var foldCase = false

    func contains(_ scalar: Unicode.Scalar) -> Bool {
        var found = containsExactly(scalar.value)
        if !found, foldCase {
            found = RegexCaseFolding.variants(of: scalar).contains { containsExactly($0.value) }
        }
        return found != negated
    }

    private func containsExactly(_ value: UInt32) -> Bool {
        ranges.contains { $0.contains(value) }
    }

    /// The ranges of every scalar value not in this set (ignoring `negated`), so that `\D`
    /// can be put inside a bracketed class with other ranges.
    var complementRanges: [ClosedRange<UInt32>] {
        var result: [ClosedRange<UInt32>] = []
        var next: UInt32 = 0
        for range in ranges.sorted(by: { $0.lowerBound < $1.lowerBound }) {
            if range.lowerBound > next { result.append(next...(range.lowerBound - 1)) }
            if range.upperBound >= Self.maximumScalar { return result }
            next = max(next, range.upperBound + 1)
        }
        result.append(next...Self.maximumScalar)
        return result
    }
}

/// Simple case folding: a scalar matches its one-scalar lowercase and uppercase forms.
enum RegexCaseFolding {
    static func variants(of scalar: Unicode.Scalar) -> [Unicode.Scalar] {
        let properties = scalar.properties
        return [properties.lowercaseMapping, properties.uppercaseMapping, properties.titlecaseMapping]
            .compactMap { mapping in
                let scalars = mapping.unicodeScalars
                return scalars.count == 1 ? scalars.first : nil
            }
    }

    /// Equal, or equal once both are lowercased or both uppercased: so that the Kelvin sign
    /// matches `k` and `K`, and the long s matches `s` and `S`, as in RE2.
    static func equal(_ a: Unicode.Scalar, _ b: Unicode.Scalar) -> Bool {
        if a == b { return true }
        let (pa, pb) = (a.properties, b.properties)
        return pa.lowercaseMapping == pb.lowercaseMapping || pa.uppercaseMapping == pb.uppercaseMapping
    }
}

/// Why a pattern was refused or a match was abandoned.
struct RegexFailure: Error {
    let message: String
}
