import HTTPTypes
import Inngest

/// The dashboard's stylesheet and script, served by the dashboard itself (no CDN).
enum Asset {
    case style
    case script

    init?(_ parts: [String]) {
        switch parts {
        case ["assets", "dashboard.css"]: self = .style
        case ["assets", "dashboard.js"]: self = .script
        default: return nil
        }
    }

    var response: HTTPResponseMessage {
        let (type, text) = self == .style ? ("text/css; charset=utf-8", DashboardStyle.css) : ("text/javascript; charset=utf-8", DashboardScript.js)
        return HTTPResponseMessage(
            status: .ok, headerFields: [.contentType: type, .cacheControl: "no-cache", HTTPField.Name("X-Content-Type-Options")!: "nosniff"],
            body: Array(text.utf8))
    }
}
