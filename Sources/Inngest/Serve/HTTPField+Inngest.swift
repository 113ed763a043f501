import HTTPTypes

/// Header fields of the wire protocol (the standard ones, such as `.contentType`, come with swift-http-types).
extension HTTPField.Name {
    package static let inngestSDK = Self("X-Inngest-SDK")!
    package static let inngestRequestVersion = Self("X-Inngest-Req-Version")!
    package static let inngestSignature = Self("X-Inngest-Signature")!
    package static let inngestNoRetry = Self("X-Inngest-No-Retry")!
    package static let inngestFramework = Self("X-Inngest-Framework")!
    package static let inngestPlatform = Self("X-Inngest-Platform")!
    package static let inngestEnv = Self("X-Inngest-Env")!
    package static let inngestServerKind = Self("X-Inngest-Server-Kind")!
    package static let inngestExpectedServerKind = Self("X-Inngest-Expected-Server-Kind")!
    package static let inngestSyncKind = Self("X-Inngest-Sync-Kind")!
    package static let inngestRunID = Self("X-Run-ID")!
    package static let inngestStepID = Self("X-Inngest-Step-ID")!
    package static let inngestEventIDSeed = Self("X-Inngest-Event-Id-Seed")!
    package static let inngestSDKHandled = Self("x-inngest-sdk-handled")!
    /// Per dispatch, sent by the server on calls; a checkpoint echoes it.
    package static let requestID = Self("X-Request-ID")!
    /// The dispatch's generation, sent by the server on calls; a checkpoint echoes it.
    package static let inngestGenerationID = Self("X-Inngest-Generation-ID")!
    package static let forwardedProto = Self("X-Forwarded-Proto")!
    /// `Host`, for adapters that keep it as a field rather than the head's authority.
    package static let hostField = Self("Host")!
}
