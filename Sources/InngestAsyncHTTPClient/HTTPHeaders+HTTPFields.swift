import HTTPTypes
import NIOHTTP1

// Header fields between NIO's HTTP/1 type (AsyncHTTPClient's, Vapor's) and swift-http-types'
// (the serve handler's and the transport seam's), both ways.

extension HTTPFields {
    /// The fields of NIO headers, in order; a field whose name is not a valid token is left out.
    /// NIO's parser bounds a head's size, far below `HTTPFields`' limit on the number of fields.
    package init(_ headers: HTTPHeaders) {
        self.init()
        for header in headers {
            if let name = HTTPField.Name(header.name) { append(HTTPField(name: name, value: header.value)) }
        }
    }
}

extension HTTPHeaders {
    /// The NIO headers of fields, in order, with their names as written.
    package init(_ fields: HTTPFields) {
        self.init()
        for field in fields { add(name: field.name.rawName, value: field.value) }
    }
}
