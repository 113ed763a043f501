/// `X-Inngest-Signature` header values with a clock from the input: parse, check the time
/// window at any clock (no overflow), and a parsed header written back reads back the same.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzSignatureHeader(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    // The first 8 bytes, when there are, are the receiver's clock (any Int64, as bits).
    var now: Int64 = 1_700_000_000
    var header = UnsafeBufferPointer(start: data, count: size)[...]
    if size >= 8 {
        now = header.prefix(8).reduce(0) { $0 << 8 | Int64($1) }
        header = header.dropFirst(8)
    }
    let text = String(decoding: header, as: UTF8.self)
    guard let parsed = SignatureHeader(parsing: text, macLength: 32) else { return 0 }
    let current = parsed.isCurrent(now: Double(now))
    // The exact distance (in a wider type) decides wherever doubles hold both times exactly.
    let exact = (Int128(now) - Int128(parsed.timestamp)).magnitude
    let representable: Int64 = 1 << 53
    if now.magnitude <= representable.magnitude, parsed.timestamp.magnitude <= representable.magnitude {
        fuzzRequire(current == (exact <= 300), "t=\(parsed.timestamp) at \(now): current \(current), exact distance \(exact)")
    }
    fuzzRequire(SignatureHeader(parsing: parsed.text, macLength: 32) == parsed, "\(parsed.text) reads back differently")
    return 0
}
