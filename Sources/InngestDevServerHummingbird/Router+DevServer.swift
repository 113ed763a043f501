import Foundation
import HTTPTypes
import Hummingbird
import Inngest
import InngestDashboard
import InngestDashboardHummingbird
import InngestDevServer
import InngestHummingbird

extension RouterMethods {
    /// Serves `inngest dev`'s API and dashboard (see ``DevServer``) on every path of this router.
    /// A body larger than the server's limit is refused with `413` before it is read whole.
    @discardableResult
    public func addInngestDevServer(_ server: DevServer) -> Self {
        let limit = server.configuration.maxBodyBytes
        let respond: @Sendable (Request, Context) async throws -> Response = { request, _ in
            let body: ByteBuffer
            do {
                body = try await request.body.collect(upTo: limit)
            } catch {
                return Response(HTTPResponseMessage.json(413, ["error": .string("the request body exceeds the limit of \(limit) bytes"), "status": 413]))
            }
            return Response(await server.respond(to: HTTPRequestMessage(head: request.head, body: Array(body.readableBytesView))))
        }
        // Every method reaches the server, so a wrong one gets its JSON 405 rather than the router's bare 404.
        for method in [HTTPRequest.Method.get, .head, .put, .post, .delete, .patch, .options] {
            on("/", method: method, use: respond)
            on("**", method: method, use: respond)
        }
        return self
    }
}
