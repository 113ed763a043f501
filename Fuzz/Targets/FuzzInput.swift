// Shared by every fuzz target: the input as text, and the report of a broken property.

/// The input as UTF-8 text (invalid sequences replaced), as a request body would be read.
func fuzzText(_ data: UnsafePointer<UInt8>, _ size: Int) -> String {
    String(decoding: UnsafeBufferPointer(start: data, count: size), as: UTF8.self)
}

/// A property that must hold for every input: a violation is a crash libFuzzer reports with
/// the input that caused it.
func fuzzRequire(_ condition: Bool, _ message: @autoclosure () -> String) {
    if !condition { fatalError("property broken: \(message())") }
}
