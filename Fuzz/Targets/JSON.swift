/// The JSON reader every request body and stored value goes through: what it reads, the
/// writer writes, and reading that gives the same value; canonical (RFC 8785) writing too.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzJSON(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    guard let value = try? JSONText.read(UnsafeBufferPointer(start: data, count: size)) else { return 0 }
    guard let written = try? JSONText.write(value) else { return 0 }
    let again = try? JSONText.read(written)
    fuzzRequire(again == value, "\(written) does not read back as the value it was written from")
    if let canonical = try? JSONText.write(value, style: .canonical) {
        fuzzRequire((try? JSONText.read(canonical)) != nil, "canonical form \(canonical) is not JSON")
    }
    return 0
}
