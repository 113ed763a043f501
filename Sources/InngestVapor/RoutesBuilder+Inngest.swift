import Foundation
import HTTPTypes
import Inngest
import InngestAsyncHTTPClient
import Vapor

extension RoutesBuilder {
    /// Serves Inngest functions at `path` (`/api/inngest` by convention): `GET` introspection,
    /// `PUT` sync, `POST` calls — everything the Inngest server and `inngest dev` send.
    ///
    /// ```swift
    /// let app = try await Application.make(.detect())
    /// let configuration = InngestConfiguration(appID: "shop", framework: "vapor")
    /// let client = InngestClient(configuration: configuration, transport: AsyncHTTPClientTransport(client: app.http.client.shared))
    /// app.addInngest(InngestServeHandler(client: client, functions: shopFunctions))
    /// ```
    ///
    /// A body larger than `maxBodyBytes` (by default the handler's
    /// ``/Inngest/InngestConfiguration/maxRequestBodyBytes``) is refused with `413` before it is read
    /// whole, whatever Vapor's `routes.defaultMaxBodySize`.
    @discardableResult
    /// - Parameters:
    ///   - handler: The serve handler of the app's functions.
    ///   - path: Where to mount it; `api/inngest` by default.
    ///   - maxBodyBytes: The largest body read; the handler's configuration's limit when `nil`.
    /// - Returns: The route builder, for chaining.
    public func addInngest(_ handler: InngestServeHandler, at path: [PathComponent] = ["api", "inngest"], maxBodyBytes: Int? = nil) -> Self {
        let limit = maxBodyBytes ?? handler.configuration.maxRequestBodyBytes
        for (method, neutral) in [(HTTPMethod.GET, HTTPRequest.Method.get), (.PUT, .put), (.POST, .post), (.DELETE, .delete), (.PATCH, .patch)] {
            on(method, path, body: .stream) { request async throws -> Response in
                // Vapor hands over a body that came in one read whole, so the limit is checked
                // here too; its reader refuses a streamed one at `max` bytes, hence one past the limit.
                let body: ByteBuffer?
                do {
                    body = try await request.body.collect(max: limit < Int.max ? limit + 1 : limit).get()
                } catch let error as Abort where error.status == .payloadTooLarge {
                    return Response(handler.bodyTooLarge(limit: limit))
                }
                if let body, body.readableBytes > limit { return Response(handler.bodyTooLarge(limit: limit)) }
                return Response(await handler.handle(HTTPRequestMessage(request, method: neutral, body: body)))
            }
        }
        return self
    }
}

extension HTTPRequestMessage {
    /// The framework-neutral request of a Vapor one whose body was read: the path with its
    /// query, the header fields (the authority is the `Host` field's), `https` when the server
    /// terminates TLS.
    init(_ request: Request, method: HTTPRequest.Method, body: ByteBuffer?) {
        let path = request.url.string
        let secure = request.application.http.server.configuration.tlsConfiguration != nil
        self.init(
            head: HTTPRequest(
                method: method, scheme: secure ? "https" : nil, authority: nil, path: path.isEmpty ? "/" : path,
                headerFields: HTTPFields(request.headers)),
            body: body.map { Array($0.readableBytesView) } ?? [])
    }
}

extension Response {
    /// The Vapor response of a framework-neutral one.
    convenience init(_ response: HTTPResponseMessage) {
        self.init(
            status: HTTPResponseStatus(statusCode: response.status.code, reasonPhrase: response.status.reasonPhrase),
            headers: HTTPHeaders(response.headerFields), body: Body(buffer: ByteBuffer(bytes: response.body)))
    }
}
