import HTTPTypes

/// An HTTP response with its whole body: what ``InngestServeHandler/handle(_:)`` answers for the
/// adapter to write out, and what an ``HTTPTransport`` returns.
public struct HTTPResponseMessage: Sendable {
    public var head: HTTPResponse
    public var body: [UInt8]

    public init(head: HTTPResponse, body: [UInt8] = []) {
        self.head = head
        self.body = body
    }

    public init(status: HTTPResponse.Status, headerFields: HTTPFields = [:], body: [UInt8] = []) {
        self.init(head: HTTPResponse(status: status, headerFields: headerFields), body: body)
    }

    public var status: HTTPResponse.Status {
        get { head.status }
        set { head.status = newValue }
    }

    public var headerFields: HTTPFields {
        get { head.headerFields }
        set { head.headerFields = newValue }
    }

    /// The body as UTF-8 text.
    public var bodyText: String { String(decoding: body, as: UTF8.self) }

    /// The body parsed as JSON, or `nil` when it is empty or not JSON.
    public var json: JSONValue? { try? JSONText.read(body) }
}
