import HTTPTypes
import Tracing

/// Trace context as text fields (W3C `traceparent` and `tracestate` with an OpenTelemetry
/// tracer; whatever fields the bootstrapped instrument uses): what travels with an event, an
/// invoke or a call, and is stored with a run.
package struct TraceHeaders: Sendable, Hashable {
    package var fields: [String: String]

    package init(_ fields: [String: String] = [:]) {
        self.fields = fields
    }

    /// The fields `instrument` writes for `context`.
    package init(injecting context: ServiceContext, with instrument: any Instrument) {
        var fields: [String: String] = [:]
        instrument.inject(context, into: &fields, using: DictionaryInjector())
        self.fields = fields
    }

    /// The fields of an HTTP request (names lowercased, as HTTP/2 and the instruments write them).
    package init(_ headerFields: HTTPFields) {
        var fields: [String: String] = [:]
        for field in headerFields { fields[field.name.canonicalName] = field.value }
        self.fields = fields
    }

    package var isEmpty: Bool { fields.isEmpty }

    /// A context continuing the trace these fields carry (the top level if they carry none).
    package func context(with instrument: any Instrument) -> ServiceContext {
        var context = ServiceContext.topLevel
        if !fields.isEmpty { instrument.extract(fields, into: &context, using: DictionaryExtractor()) }
        return context
    }

    /// Adds the fields to outgoing request headers.
    package func add(to headerFields: inout HTTPFields) {
        for (name, value) in fields {
            guard let name = HTTPField.Name(name) else { continue }
            headerFields[name] = value
        }
    }
}

private struct DictionaryInjector: Injector {
    func inject(_ value: String, forKey key: String, into carrier: inout [String: String]) {
        carrier[key.lowercased()] = value
    }
}

private struct DictionaryExtractor: Extractor {
    func extract(key: String, from carrier: [String: String]) -> String? {
        carrier[key.lowercased()]
    }
}
