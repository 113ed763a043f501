// swift-tools-version: 6.1
import Foundation
import PackageDescription

// swift-inngest is this repository's root. A path dependency's identity is its folder's
// name, which differs between checkouts, so it is computed rather than spelled out.
let inngestRoot = URL(fileURLWithPath: Context.packageDirectory).deletingLastPathComponent().deletingLastPathComponent()
let inngest = inngestRoot.lastPathComponent.lowercased()

let package = Package(
    name: "Observability",
    platforms: [.macOS(.v15)],
    dependencies: [
        .package(path: inngestRoot.path),
        // OTLP over HTTP only: the gRPC exporter would build gRPC too.
        .package(url: "https://github.com/swift-otel/swift-otel", from: "1.6.0", traits: ["OTLPHTTP"]),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
    ],
    targets: [
        .executableTarget(
            name: "Observability",
            dependencies: [
                .product(name: "Inngest", package: inngest),
                .product(name: "InngestEngine", package: inngest),
                .product(name: "OTel", package: "swift-otel"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Logging", package: "swift-log"),
            ])
    ]
)
