/// Time strings (`"1h30m"`, `"2.5d"`, `"1 hour"`): parse, convert, and write back in the
/// compact form, which must parse to the same duration.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzTimeString(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    guard let duration = try? InngestDuration(parsing: fuzzText(data, size)) else { return 0 }
    guard let nanoseconds = try? duration.nanoseconds() else { return 0 }
    _ = try? duration.duration()
    let written = duration.timeString
    let again = try? InngestDuration(parsing: written).nanoseconds()
    fuzzRequire(again == nanoseconds, "\(written) reads back as \(String(describing: again)), not \(nanoseconds) ns")
    return 0
}
