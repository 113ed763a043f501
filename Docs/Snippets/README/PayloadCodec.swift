import Foundation
import Inngest
import InngestEngine

func openEngineWithEncryptedPayloads() throws -> Engine {
    // snippet: payload-codec
    var options = Engine.Options()
    let codec = try AESGCMPayloadCodec(
        current: .init(id: "2026-12", base64: ProcessInfo.processInfo.environment["PAYLOAD_KEY"] ?? ""),
        fallbacks: [.init(id: "2026-06", base64: ProcessInfo.processInfo.environment["PAYLOAD_KEY_OLD"] ?? "")])
    options.middleware = [PayloadCodecMiddleware(codec: codec)]
    let engine = try Engine(appID: "shop", databasePath: "/var/lib/shop/inngest.sqlite", functions: Functions.all, options: options)
    // snippet: end
    return engine
}
