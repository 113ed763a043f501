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
    /// A body larger than `maxBodyBytes` (by default the handler's
    /// ``/Inngest/InngestConfiguration/maxRequestBodyBytes``) is refused with `413` before it is read whole.
    @discardableResult
    /// - Parameters:
    ///   - handler: The serve handler of the app's functions.
    ///   - path: Where to mount it; `/api/inngest` by default.
    ///   - maxBodyBytes: The largest body read; the handler's configuration's limit when `nil`.
    /// - Returns: The router, for chaining.
    public func addInngest(_ handler: InngestServeHandler, at path: RouterPath = "/api/inngest", maxBodyBytes: Int? = nil) -> Self {
        let limit = maxBodyBytes ?? handler.configuration.maxRequestBodyBytes
        let respond: @Sendable (Request, Context) async throws -> Response = { request, _ in
            let body: ByteBuffer
            do {
                body = try await request.body.collect(upTo: limit)
            } catch {
                return Response(handler.bodyTooLarge(limit: limit))
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
}
