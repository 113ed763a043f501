import Foundation

/// The body of `POST <api>/fn/register`: an app's configuration as Inngest registers it.
///
/// The SDK writes it at sync; the engine reads it (``AppRegistration``) from any SDK. Optional
/// members are left out, never sent as `null` (some of the server's decoders reject `null`).
package struct RegisterRequest: Sendable, Hashable, Codable {
    package var url: String?
    package var deployType: String?
    package var appName: String?
    /// `<language>:v<version>`, e.g. `py:v0.5.19`.
    package var sdk: String?
    package var v: String?
    package var framework: String?
    package var appVersion: String?
    package var capabilities: Capabilities?
    package var functions: [RegisteredFunction]?

    /// Protocol features the SDK supports.
    package struct Capabilities: Sendable, Hashable, Codable {
        package var trustProbe: String?
        package var inBandSync: String?

        private enum CodingKeys: String, CodingKey {
            case trustProbe = "trust_probe"
            case inBandSync = "in_band_sync"
        }

        /// What this SDK advertises.
        package static func swiftSDK(inBandSync: Bool) -> Capabilities {
            Capabilities(trustProbe: "v1", inBandSync: inBandSync ? "v1" : nil)
        }
    }

    /// Only the app's id and URL, read even from a document that is otherwise invalid (for logs).
    package struct Identity: Sendable, Decodable {
        package var appName: String?
        package var url: String?

        package init(from decoder: any Decoder) throws {
            let members = try CaseInsensitiveMembers<CodingKeys>(decoder)
            appName = try? members.decode(String.self, .appName)
            url = try? members.decode(String.self, .url)
        }
    }

    enum CodingKeys: String, CodingKey {
        case url, deployType, appName, sdk, v, framework, appVersion, capabilities, functions
    }

    package init(
        url: String?, deployType: String? = "ping", appName: String?, sdk: String? = SDKIdentity.registerValue, v: String? = "0.1",
        framework: String? = nil, appVersion: String? = nil, capabilities: Capabilities? = nil, functions: [RegisteredFunction]?
    ) {
        self.url = url
        self.deployType = deployType
        self.appName = appName
        self.sdk = sdk
        self.v = v
        self.framework = framework
        self.appVersion = appVersion
        self.capabilities = capabilities
        self.functions = functions
    }

    package init(from decoder: any Decoder) throws {
        let members = try CaseInsensitiveMembers<CodingKeys>(decoder)
        url = try members.decode(String.self, .url)
        deployType = try members.decode(String.self, .deployType)
        appName = try members.decode(String.self, .appName)
        sdk = try members.decode(String.self, .sdk)
        v = try members.decode(String.self, .v)
        framework = try members.decode(String.self, .framework)
        appVersion = try members.decode(String.self, .appVersion)
        capabilities = try members.decode(Capabilities.self, .capabilities)
        functions = try members.decode([RegisteredFunction].self, .functions)
    }

    /// The JSON text sent to the server.
    package func jsonBytes() throws -> [UInt8] {
        Array(try JSONText.write(JSONCodec.shared.jsonValue(of: self).removingNulls()).utf8)
    }
}

extension JSONValue {
    /// Every `null` member of every object dropped (arrays keep their elements).
    package func removingNulls() -> JSONValue {
        switch self {
        case .object(let members): return .object(members.compactMapValues { $0.isNull ? nil : $0.removingNulls() })
        case .array(let elements): return .array(elements.map { $0.removingNulls() })
        default: return self
        }
    }
}
