import Foundation
import HTTPTypes
import Inngest

extension HTTPResponseMessage {
    /// A JSON response.
    package static func dashboardJSON(_ status: HTTPResponse.Status, _ body: JSONValue, headers: HTTPFields = [:]) -> HTTPResponseMessage {
        var headers = headers
        headers[.contentType] = "application/json"
        headers[.cacheControl] = "no-store"
        return HTTPResponseMessage(status: status, headerFields: headers, body: Array(((try? JSONText.write(body)) ?? "null").utf8))
    }

    /// An HTML page. Scripts and styles only from this server.
    static func html(_ status: HTTPResponse.Status, _ text: String, headers: HTTPFields = [:]) -> HTTPResponseMessage {
        var headers = headers
        headers[.contentType] = "text/html; charset=utf-8"
        headers[.cacheControl] = "no-store"
        headers[HTTPField.Name("Content-Security-Policy")!] =
            "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; form-action 'self'; base-uri 'none'"
        headers[HTTPField.Name("X-Content-Type-Options")!] = "nosniff"
        headers[HTTPField.Name("Referrer-Policy")!] = "same-origin"
        return HTTPResponseMessage(status: status, headerFields: headers, body: Array(text.utf8))
    }

    static func redirect(to location: String, headers: HTTPFields = [:]) -> HTTPResponseMessage {
        var headers = headers
        headers[.location] = location
        return HTTPResponseMessage(status: .seeOther, headerFields: headers)
    }
}
