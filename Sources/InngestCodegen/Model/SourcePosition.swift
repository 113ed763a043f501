/// A place in a source file, 1-based, as compilers print it.
package struct SourcePosition: Codable, Hashable, Sendable, Comparable {
    /// The path as passed to the generator (absolute when the plugin runs it).
    package var file: String
    package var line: Int
    package var column: Int

    package init(file: String, line: Int, column: Int) {
        self.file = file
        self.line = line
        self.column = column
    }

    package static func < (lhs: SourcePosition, rhs: SourcePosition) -> Bool {
        (lhs.file, lhs.line, lhs.column) < (rhs.file, rhs.line, rhs.column)
    }

    /// `file:line:column`, the prefix SwiftPM and editors turn into a link.
    package var description: String { "\(file):\(line):\(column)" }

    private enum CodingKeys: String, CodingKey {
        case file, line, column
    }

    /// `{"file", "line", "column"}`; in the scan cache, which names the scanned file in
    /// ``CodingUserInfoKey/scannedFilePath``, a position in that file is `[line, column]`
    /// (a cache entry holds hundreds of positions, nearly all in its own file).
    package func encode(to encoder: any Encoder) throws {
        if let scannedFile = encoder.userInfo[.scannedFilePath] as? String {
            var container = encoder.unkeyedContainer()
            try container.encode(line)
            try container.encode(column)
            if file != scannedFile { try container.encode(file) }
            return
        }
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(file, forKey: .file)
        try container.encode(line, forKey: .line)
        try container.encode(column, forKey: .column)
    }

    package init(from decoder: any Decoder) throws {
        if let scannedFile = decoder.userInfo[.scannedFilePath] as? String {
            var container = try decoder.unkeyedContainer()
            line = try container.decode(Int.self)
            column = try container.decode(Int.self)
            file = container.isAtEnd ? scannedFile : try container.decode(String.self)
            return
        }
        let container = try decoder.container(keyedBy: CodingKeys.self)
        file = try container.decode(String.self, forKey: .file)
        line = try container.decode(Int.self, forKey: .line)
        column = try container.decode(Int.self, forKey: .column)
    }
}

extension CodingUserInfoKey {
    /// The path of the file a ``ScannedFile`` describes, set while the scan cache encodes
    /// or decodes it: positions in that file are then written without the path.
    package static let scannedFilePath = CodingUserInfoKey(rawValue: "inngest.scannedFilePath")!
}
