/// The body of `POST /fn/register` as `inngest dev` reads it from an app of any SDK: decoded
/// (member names in any case, as Go reads them), then each function's options checked and
/// resolved by the engine's rules (limits, durations, expressions, cron).
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzRegisterPayload(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    guard let json = try? JSONText.read(UnsafeBufferPointer(start: data, count: size)) else { return 0 }
    guard let registration = try? AppRegistration(json: json) else { return 0 }
    fuzzRequire(registration.functions.count <= AppRegistration.maxFunctions, "more functions than the limit were accepted")
    return 0
}
