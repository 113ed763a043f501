// swift-tools-version: 6.1
import PackageDescription

let package = Package(
    name: "swift-inngest",
    platforms: [.macOS(.v15), .iOS(.v18)],
    products: [
        .library(name: "Inngest", targets: ["Inngest"]),
        .library(name: "InngestEngine", targets: ["InngestEngine"]),
        .library(name: "InngestHummingbird", targets: ["InngestHummingbird"]),
        .executable(name: "inngest-demo", targets: ["InngestDemo"]),
        .executable(name: "inngest-benchmarks", targets: ["InngestBenchmarks"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-crypto", "3.12.3"..<"5.0.0"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
        .package(url: "https://github.com/swift-server/async-http-client", from: "1.37.0"),
    ],
    targets: [
        // What user code imports: the marker attribute, context, step tools, events,
        // configuration, errors, step-id hashing and the executor. Nothing heavy.
        .target(
            name: "Inngest",
            dependencies: [
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        // The embedded engine: durable store (SQLite), live execution, timers, events, retries.
        .target(
            name: "InngestEngine",
            dependencies: ["Inngest", .product(name: "GRDB", package: "GRDB.swift")]
        ),
        // Serve functions from a Hummingbird app; AsyncHTTPClient for the SDK's outbound calls.
        .target(
            name: "InngestHummingbird",
            dependencies: [
                "Inngest",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
            ]
        ),
        // The README's first command: Inngest's documented scenarios on the embedded engine.
        .executableTarget(name: "InngestDemo", dependencies: ["InngestEngine"]),
        // Release-built measurements of the engine (`swift run -c release inngest-benchmarks`).
        .executableTarget(
            name: "InngestBenchmarks",
            dependencies: [
                "InngestEngine", "InngestDevServer",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
            ]
        ),
        // A child process for the crash-recovery tests, which SIGKILL it mid-run.
        .executableTarget(name: "InngestCrashWorker", dependencies: ["InngestEngine"], path: "Tests/InngestCrashWorker"),
        .testTarget(name: "InngestTests", dependencies: ["Inngest"], resources: [.copy("Serve/Captures")]),
        .testTarget(
            name: "InngestHummingbirdTests",
            dependencies: ["InngestHummingbird", .product(name: "HummingbirdTesting", package: "hummingbird")]
        ),
        .testTarget(name: "InngestEngineTests", dependencies: ["InngestEngine", "InngestCrashWorker", .product(name: "GRDB", package: "GRDB.swift")]),
    ]
)

// MARK: - Build plugin (issue 4): generator library, its CLI, the plugins and their tests.
// Kept as additions below the core so the core manifest above merges without conflicts.

package.products += [
    .executable(name: "inngest-codegen", targets: ["inngest-codegen"]),
    .plugin(name: "InngestPlugin", targets: ["InngestPlugin"]),
    .plugin(name: "InngestExportManifest", targets: ["InngestExportManifest"]),
]

package.dependencies += [
    .package(url: "https://github.com/swiftlang/swift-syntax", from: "603.0.1"),
    .package(url: "https://github.com/hummingbird-project/swift-mustache", from: "2.1.1"),
    .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
]

package.targets += [
    // Scan (swift-syntax) → model → render (Templates/). Depends on Inngest so option
    // validation and step-id hashing are the runtime's own.
    .target(
        name: "InngestCodegen",
        dependencies: [
            "Inngest",
            .product(name: "SwiftSyntax", package: "swift-syntax"),
            .product(name: "SwiftParser", package: "swift-syntax"),
            .product(name: "Mustache", package: "swift-mustache"),
        ]
    ),
    .executableTarget(
        name: "inngest-codegen",
        dependencies: [
            "InngestCodegen",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ]
    ),
    .plugin(
        name: "InngestPlugin",
        capability: .buildTool(),
        dependencies: ["inngest-codegen"]
    ),
    .plugin(
        name: "InngestExportManifest",
        capability: .command(
            intent: .custom(verb: "inngest-export-manifest",
                            description: "Writes the Inngest step manifest of targets into the package directory and diffs it against the committed one"),
            permissions: [.writeToPackageDirectory(reason: "Writes <app-id>.inngest.json manifests for committing or sharing")]
        ),
        dependencies: ["inngest-codegen"]
    ),
    .testTarget(
        name: "InngestCodegenTests",
        dependencies: ["InngestCodegen"],
        exclude: ["Fixtures", "Golden"]
    ),
    // A target of this package that applies the plugin; its tests call the generated code.
    .target(
        name: "InngestPluginFixture",
        dependencies: ["Inngest"],
        path: "Tests/InngestPluginFixture",
        exclude: ["inngest.config.json", "my-python-app.inngest.json"],
        plugins: ["InngestPlugin"]
    ),
    .testTarget(name: "PluginIntegrationTests", dependencies: ["InngestPluginFixture", "Inngest"]),
]

// MARK: - Wire protocol, engine side (issue 5): `inngest dev` and the interop app.

package.products += [
    .library(name: "InngestDevServer", targets: ["InngestDevServer"]),
    .executable(name: "inngest", targets: ["inngest"]),
    .executable(name: "InngestInteropApp", targets: ["InngestInteropApp"]),
]

package.targets += [
    // The engine as a server that SDK apps sync with: event API, /fn/register, REST API.
    .target(
        name: "InngestDevServer",
        dependencies: ["Inngest", "InngestEngine", "InngestHummingbird", .product(name: "Hummingbird", package: "hummingbird")]
    ),
    // `inngest dev`.
    .executableTarget(
        name: "inngest",
        dependencies: [
            "InngestDevServer", "InngestEngine", "InngestHummingbird",
            .product(name: "Hummingbird", package: "hummingbird"),
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ]
    ),
    .testTarget(
        name: "InngestDevServerTests",
        dependencies: ["InngestDevServer", "InngestEngine"]
    ),
    // The Swift app of the interop tests (Tests/Interop): served over HTTP to `inngest dev`.
    .executableTarget(
        name: "InngestInteropApp",
        dependencies: ["Inngest", "InngestHummingbird", .product(name: "Hummingbird", package: "hummingbird")],
        path: "Tests/Interop/SwiftApp"
    ),
]
