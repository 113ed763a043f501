/// The body of `POST /e/{key}`, as the event API reads it: JSON, one event or an array of
/// them, each converted and checked against Inngest's event rules (ts range, nesting, size).
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzEventBody(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    guard let json = try? JSONText.read(UnsafeBufferPointer(start: data, count: size)) else { return 0 }
    let elements: [JSONValue]
    switch json {
    case .array(let array): elements = array
    case .object: elements = [json]
    default: return 0
    }
    var events: [AnyEvent] = []
    for element in elements {
        guard let event = try? AnyEvent(jsonTree: element) else { return 0 }
        events.append(event)
    }
    guard (try? AnyEvent.check(events)) != nil else { return 0 }
    // An accepted event must be storable: encoded, and read back the same.
    for event in events {
        guard let text = try? JSONText.write(event.jsonTree()) else {
            fuzzRequire(false, "an accepted event cannot be encoded")
            return 0
        }
        let back = (try? JSONText.read(text)).flatMap { try? AnyEvent(jsonTree: $0) }
        fuzzRequire(back?.name == event.name && back?.data == event.data, "an accepted event does not read back the same")
    }
    return 0
}
