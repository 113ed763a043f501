// swift-tools-version: 6.1
import Foundation
import PackageDescription

// swift-inngest is this repository's root. A path dependency's identity is its folder's
// name, which differs between checkouts, so it is computed rather than spelled out.
let inngestRoot = URL(fileURLWithPath: Context.packageDirectory).deletingLastPathComponent().deletingLastPathComponent()
let inngest = inngestRoot.lastPathComponent.lowercased()

let package = Package(
    name: "CrossApp",
    platforms: [.macOS(.v15)],
    dependencies: [.package(path: inngestRoot.path)],
    targets: [
        // App A: a Swift app whose manifest is exported to Manifests/app-a.inngest.json with
        // `swift package --allow-writing-to-package-directory inngest-export-manifest --target AppA --output Manifests/app-a.inngest.json`.
        .target(
            name: "AppA",
            dependencies: [.product(name: "Inngest", package: inngest)],
            exclude: ["inngest.config.json"],
            plugins: [.plugin(name: "InngestPlugin", package: inngest)]),
        // App B: imports A's manifest and the Python app's, and invokes both, typed.
        .executableTarget(
            name: "AppB",
            dependencies: [.product(name: "Inngest", package: inngest)],
            exclude: ["inngest.config.json"],
            plugins: [.plugin(name: "InngestPlugin", package: inngest)]),
    ]
)
