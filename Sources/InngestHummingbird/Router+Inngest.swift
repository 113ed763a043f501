import Foundation
import HTTPTypes
import Hummingbird
import Inngest

extension RouterMethods {
    /// Serves Inngest functions at `path` (`/api/inngest` by convention): `GET` introspection,
    /// `PUT` sync, `POST` calls — everything the Inngest server and `inngest dev` send.
    ///
    /// ```swift
    /// let client = InngestClient(configuration: InngestConfiguration(appID: "shop"), transport: AsyncHTTPClientTransport())
    /// let router = Router()
    /// router.addInngest(InngestServeHandler(client: client, functions: shopFunctions))
    /// ```
    ///
    /// A body larger than `maxBodyBytes` is refused with `413` before it is read whole.
    @discardableResult
    public func addInngest(_ handler: InngestServeHandler, at path: RouterPath = "/api/inngest", maxBodyBytes: Int = InngestLimits.maxRequestBodyBytes) -> Self {
        let respond: @Sendable (Request, Context) async throws -> Response = { request, _ in
            let body: ByteBuffer
            do {
                body = try await request.body.collect(upTo: maxBodyBytes)
            } catch {
                return .inngestJSON(status: 413, body: #"{"message":"request body exceeds the limit of \#(maxBodyBytes) bytes"}"#)
            }
            return Response(await handler.handle(HTTPRequestMessage(head: request.head, body: Array(body.readableBytesView))))
        }
        for method in [HTTPRequest.Method.get, .put, .post, .delete, .patch] {
            on(path, method: method, use: respond)
        }
        return self
    }
}

extension Response {
    /// The Hummingbird response of a framework-neutral one.
    package init(_ response: HTTPResponseMessage) {
        self.init(status: response.status, headers: response.headerFields, body: .init(byteBuffer: ByteBuffer(bytes: response.body)))
    }

    static func inngestJSON(status: Int, body: String) -> Response {
        Response(status: .init(code: status), headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(string: body)))
    }
}
