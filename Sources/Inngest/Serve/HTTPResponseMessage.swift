import HTTPTypes

/// An HTTP response with its whole body: what ``InngestServeHandler/handle(_:)`` answers for the
/// adapter to write out, and what an ``HTTPTransport`` returns.
public struct HTTPResponseMessage: Sendable {
    /// The status and header fields.
    public var head: HTTPResponse
    /// The whole body.
    public var body: [UInt8]

    /// - Parameters:
    ///   - head: The status and header fields.
    ///   - body: The whole body.
    public init(head: HTTPResponse, body: [UInt8] = []) {
        self.head = head
        self.body = body
    }

    /// - Parameters:
    ///   - status: The status.
    ///   - headerFields: The header fields.
    ///   - body: The whole body.
    public init(status: HTTPResponse.Status, headerFields: HTTPFields = [:], body: [UInt8] = []) {
        self.init(head: HTTPResponse(status: status, headerFields: headerFields), body: body)
    }

    /// The response's status.
    public var status: HTTPResponse.Status {
        get { head.status }
        set { head.status = newValue }
    }

    /// The response's header fields.
    public var headerFields: HTTPFields {
        get { head.headerFields }
        set { head.headerFields = newValue }
    }

    /// The body as UTF-8 text.
    public var bodyText: String { String(decoding: body, as: UTF8.self) }

    /// The body parsed as JSON, or `nil` when it is empty or not JSON.
    public var json: JSONValue? { try? JSONText.read(body) }
}
