import Inngest

extension TraceHeaders {
    /// As a run row keeps them: a JSON object of the fields, or `NULL` when there are none.
    var storedText: String? {
        fields.isEmpty ? nil : try? StoredJSON.text(fields)
    }

    /// Read back from a run row; unreadable text (it was written by this engine) reads as none.
    init(stored text: String?) {
        self.init((try? StoredJSON.value([String: String].self, from: text)) ?? [:])
    }
}
