/// The body of a call from the server to an app (`POST` to the serve handler): the run's
/// context, its events and the recorded steps. What is read, written back, reads the same.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzCallPayload(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    guard let json = try? JSONText.read(UnsafeBufferPointer(start: data, count: size)) else { return 0 }
    guard let call = try? CallRequest(json: json) else { return 0 }
    _ = call.trimmed()
    guard let tree = try? call.jsonTree() else { return 0 }
    let again = try? CallRequest(json: tree)
    fuzzRequire(again != nil, "a call written back is not a call")
    fuzzRequire((try? again?.jsonTree()) == tree, "a call written back does not read back the same")
    return 0
}
