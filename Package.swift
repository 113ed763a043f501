// swift-tools-version: 6.1
import PackageDescription

/// Language settings every target of this package is built with.
let sharedSwiftSettings: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("MemberImportVisibility"),
]

let package = Package(
    name: "swift-inngest",
    platforms: [.macOS(.v15), .iOS(.v18)],
    products: [
        // Libraries an app depends on.
        .library(name: "Inngest", targets: ["Inngest"]),
        .library(name: "InngestEngine", targets: ["InngestEngine"]),
        .library(name: "InngestHummingbird", targets: ["InngestHummingbird"]),
        .library(name: "InngestVapor", targets: ["InngestVapor"]),
        // The SDK's outbound HTTP over AsyncHTTPClient (both adapters re-export it).
        .library(name: "InngestAsyncHTTPClient", targets: ["InngestAsyncHTTPClient"]),
        .library(name: "InngestDevServer", targets: ["InngestDevServer"]),
        .library(name: "InngestDevServerHummingbird", targets: ["InngestDevServerHummingbird"]),
        // The dashboard and run-control API over an engine, and its Hummingbird mount.
        .library(name: "InngestDashboard", targets: ["InngestDashboard"]),
        .library(name: "InngestDashboardHummingbird", targets: ["InngestDashboardHummingbird"]),
        // An MCP endpoint for the dashboard (AI assistants); apart because the MCP SDK links libcurl.
        .library(name: "InngestDashboardMCP", targets: ["InngestDashboardMCP"]),
        // What an app's tests import: functions on the real engine with skipped time and mocks.
        .library(name: "InngestTesting", targets: ["InngestTesting"]),
        // Code generation, applied to an app's target.
        .plugin(name: "InngestPlugin", targets: ["InngestPlugin"]),
        .plugin(name: "InngestExportManifest", targets: ["InngestExportManifest"]),
        // `swift run inngest dev` from a package that depends on this one.
        .executable(name: "inngest", targets: ["inngest"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-crypto", "3.12.3"..<"5.0.0"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-http-types", from: "1.8.0"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
        .package(url: "https://github.com/vapor/vapor", from: "4.122.3"),
        .package(url: "https://github.com/swift-server/async-http-client", from: "1.37.0"),
        .package(url: "https://github.com/swiftlang/swift-syntax", from: "603.0.1"),
        .package(url: "https://github.com/hummingbird-project/swift-mustache", from: "2.1.1"),
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
        .package(url: "https://github.com/apple/swift-metrics", from: "2.13.0"),
        .package(url: "https://github.com/apple/swift-distributed-tracing", from: "1.7.3"),
        .package(url: "https://github.com/modelcontextprotocol/swift-sdk", from: "0.12.1"),
        .package(url: "https://github.com/x-sheep/swift-property-based", from: "2.0.1"),
    ],
    targets: [
        // MARK: Libraries

        // What user code imports: the attribute, context, step tools, events, options, errors,
        // the executor and the serve handler with its transport seam (on swift-http-types). Nothing heavy.
        .target(
            name: "Inngest",
            dependencies: [
                "InngestCore",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "Tracing", package: "swift-distributed-tracing"),
            ]
        ),
        // What the runtime and the build plugin's generator share, with no dependency at all:
        // function options and their checks, triggers, time strings, cron, expressions, JSON,
        // step ids. `Inngest` re-exports it. The generator is compiled on every user's machine,
        // so what it needs is kept free of C libraries and server packages.
        .target(name: "InngestCore"),
        // The embedded engine: durable store (SQLite), live execution, timers, events, retries.
        .target(
            name: "InngestEngine",
            dependencies: [
                "Inngest", .product(name: "GRDB", package: "GRDB.swift"), .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "CoreMetrics", package: "swift-metrics"),
                .product(name: "Tracing", package: "swift-distributed-tracing"),
            ]
        ),
        // The SDK's outbound calls (sync, events, trimmed payloads) over AsyncHTTPClient: the
        // transport both web framework adapters re-export.
        .target(
            name: "InngestAsyncHTTPClient",
            dependencies: ["Inngest", .product(name: "AsyncHTTPClient", package: "async-http-client")]
        ),
        // Serve functions from a Hummingbird app. Only the framework glue: the serve handler is
        // `Inngest`'s, the transport `InngestAsyncHTTPClient`'s.
        .target(
            name: "InngestHummingbird",
            dependencies: ["Inngest", "InngestAsyncHTTPClient", .product(name: "Hummingbird", package: "hummingbird")]
        ),
        // Serve functions from a Vapor 4 app: the same glue for Vapor's routes.
        .target(
            name: "InngestVapor",
            dependencies: ["Inngest", "InngestAsyncHTTPClient", .product(name: "Vapor", package: "vapor")]
        ),
        // Runs, steps, functions, apps and events of an engine as web pages (templates rendered
        // on the server, live by server-sent events), and the JSON run-control API they use.
        // On the serve handler's request and response types: no web framework.
        .target(
            name: "InngestDashboard",
            dependencies: [
                "Inngest", "InngestEngine", .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "Mustache", package: "swift-mustache"), .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ]
        ),
        // The MCP endpoint a dashboard serves when given it (`inngest dev` does). The MCP SDK
        // links Foundation's networking (libcurl, TLS, Kerberos, LDAP): only its users load it.
        .target(
            name: "InngestDashboardMCP",
            dependencies: [
                "Inngest", "InngestEngine", "InngestDashboard", .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "MCP", package: "swift-sdk"),
            ]
        ),
        // The dashboard mounted on a Hummingbird router (an app on the embedded engine).
        .target(
            name: "InngestDashboardHummingbird",
            dependencies: [
                "Inngest", "InngestEngine", "InngestDashboard", .product(name: "Hummingbird", package: "hummingbird"),
            ]
        ),
        // The engine as a server SDK apps sync with (event API, /fn/register, REST API), on the
        // serve handler's request and response types: no web framework.
        .target(
            name: "InngestDevServer",
            dependencies: [
                "Inngest", "InngestEngine", "InngestDashboard", .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ]
        ),
        // The dev server mounted on a Hummingbird router.
        .target(
            name: "InngestDevServerHummingbird",
            dependencies: [
                "Inngest", "InngestDevServer", "InngestHummingbird", "InngestDashboard", "InngestDashboardHummingbird",
                .product(name: "Hummingbird", package: "hummingbird"),
            ]
        ),

        // The test kit: a test environment on the embedded engine with a virtual clock that
        // skips to the next timer, step and invoke mocks, and a wire-level serve harness.
        .target(
            name: "InngestTesting",
            dependencies: [
                "Inngest", "InngestEngine", .product(name: "Logging", package: "swift-log"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "Tracing", package: "swift-distributed-tracing"),
            ]
        ),

        // MARK: Code generation

        // Scan (swift-syntax) → model → render (Templates/). Depends on InngestCore (not
        // Inngest), so option checks and step-id hashing are the runtime's own and the tool's
        // build has no swift-crypto, swift-log or tracing in it.
        .target(
            name: "InngestCodegen",
            dependencies: [
                "InngestCore",
                .product(name: "SwiftSyntax", package: "swift-syntax"),
                .product(name: "SwiftParser", package: "swift-syntax"),
                .product(name: "Mustache", package: "swift-mustache"),
            ]
        ),
        .executableTarget(
            name: "inngest-codegen",
            dependencies: ["InngestCodegen", .product(name: "ArgumentParser", package: "swift-argument-parser")]
        ),
        // Both plugins share Plugins/PluginsShared through a symlink in each plugin's folder.
        .plugin(name: "InngestPlugin", capability: .buildTool(), dependencies: ["inngest-codegen"]),
        .plugin(
            name: "InngestExportManifest",
            capability: .command(
                intent: .custom(
                    verb: "inngest-export-manifest",
                    description: "Writes the Inngest step manifest of targets into the package directory and diffs it against the committed one"),
                permissions: [.writeToPackageDirectory(reason: "Writes <app-id>.inngest.json manifests for committing or sharing")]
            ),
            dependencies: ["inngest-codegen"]
        ),

        // MARK: Dev server CLI

        .executableTarget(
            name: "inngest",
            dependencies: [
                "Inngest", "InngestDevServer", "InngestDevServerHummingbird", "InngestEngine", "InngestHummingbird",
                "InngestDashboard", "InngestDashboardMCP", .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "UnixSignals", package: "swift-service-lifecycle"),
            ]
        ),

        // MARK: Demo and benchmarks (run from this package: `swift run inngest-demo`)

        // The README's first command: Inngest's documented scenarios on the embedded engine.
        .executableTarget(
            name: "inngest-demo",
            dependencies: ["Inngest", "InngestEngine", .product(name: "Logging", package: "swift-log")],
            path: "Sources/InngestDemo"
        ),
        // Release-built measurements (`swift run -c release inngest-benchmarks`).
        .executableTarget(
            name: "inngest-benchmarks",
            dependencies: [
                "Inngest", "InngestEngine", "InngestDevServer", "InngestDevServerHummingbird", "InngestHummingbird", "InngestTesting",
                "InngestDashboard",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "InMemoryTracing", package: "swift-distributed-tracing"),
            ],
            path: "Sources/InngestBenchmarks"
        ),

        // MARK: Tests

        .testTarget(
            name: "InngestTests",
            dependencies: [
                "Inngest", "InngestCore", .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "InMemoryTracing", package: "swift-distributed-tracing"),
                .product(name: "Tracing", package: "swift-distributed-tracing"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "PropertyBased", package: "swift-property-based"),
            ], resources: [.copy("Serve/Captures")]),
        .testTarget(
            name: "InngestEngineTests",
            dependencies: [
                "Inngest", "InngestEngine", "InngestTesting", "InngestCrashWorker", .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "ServiceLifecycleTestKit", package: "swift-service-lifecycle"),
                .product(name: "MetricsTestKit", package: "swift-metrics"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "InMemoryTracing", package: "swift-distributed-tracing"),
                .product(name: "Tracing", package: "swift-distributed-tracing"),
            ]
        ),
        // A child process for the crash-recovery tests, which SIGKILL it mid-run.
        .executableTarget(
            name: "InngestCrashWorker",
            dependencies: [
                "Inngest", "InngestEngine", .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "UnixSignals", package: "swift-service-lifecycle"), .product(name: "Logging", package: "swift-log"),
            ],
            path: "Tests/InngestCrashWorker"),
        .testTarget(
            name: "InngestHummingbirdTests",
            dependencies: [
                "Inngest", "InngestHummingbird", "InngestEngine", "InngestDashboard", "InngestDashboardHummingbird", "InngestDashboardMCP",
                .product(name: "HummingbirdTesting", package: "hummingbird"), .product(name: "MCP", package: "swift-sdk"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "UnixSignals", package: "swift-service-lifecycle"), .product(name: "Logging", package: "swift-log"),
            ]
        ),
        // A Vapor app on loopback served to `inngest dev` (in this process, on loopback too).
        .testTarget(
            name: "InngestVaporTests",
            dependencies: [
                "Inngest", "InngestVapor", "InngestEngine", "InngestDevServer", "InngestDevServerHummingbird",
                .product(name: "Vapor", package: "vapor"), .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HTTPTypes", package: "swift-http-types"), .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ]
        ),
        .testTarget(
            name: "InngestDevServerTests",
            dependencies: [
                "Inngest", "InngestDevServer", "InngestDashboard", "InngestEngine", "InngestTesting", .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "InMemoryTracing", package: "swift-distributed-tracing"),
                .product(name: "Tracing", package: "swift-distributed-tracing"),
            ]
        ),
        .testTarget(name: "InngestTestingTests", dependencies: ["Inngest", "InngestEngine", "InngestTesting"]),
        .testTarget(name: "InngestCodegenTests", dependencies: ["Inngest", "InngestCore", "InngestCodegen"], exclude: ["Fixtures", "Golden"]),
        // A target that applies the plugin; its tests call the generated code.
        .target(
            name: "InngestPluginFixture",
            dependencies: ["Inngest"],
            path: "Tests/InngestPluginFixture",
            exclude: ["inngest.config.json", "my-python-app.inngest.json"],
            plugins: ["InngestPlugin"]
        ),
        .testTarget(name: "PluginIntegrationTests", dependencies: ["Inngest", "InngestPluginFixture"]),
        // The code of the README's and the guides' Swift blocks, compiled with the plugin;
        // DocumentationTests checks that each block equals its region here.
        .target(
            name: "ReadmeSnippets",
            dependencies: [
                "Inngest", "InngestEngine", "InngestHummingbird", "InngestVapor", "InngestDashboardHummingbird",
                .product(name: "Hummingbird", package: "hummingbird"), .product(name: "Vapor", package: "vapor"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "UnixSignals", package: "swift-service-lifecycle"),
            ],
            path: "Docs/Snippets/README",
            plugins: ["InngestPlugin"]
        ),
        .executableTarget(
            name: "PluginGuideHello",
            dependencies: ["Inngest", "InngestEngine"],
            path: "Docs/Snippets/BuildPlugin",
            exclude: ["inngest.config.json"],
            plugins: ["InngestPlugin"]
        ),
        .testTarget(name: "DocumentationTests", dependencies: ["InngestCodegen"]),
        // The Swift app of the interop suite (Tests/Interop), served over HTTP to `inngest dev`.
        .executableTarget(
            name: "InngestInteropApp",
            dependencies: ["Inngest", "InngestHummingbird", .product(name: "Hummingbird", package: "hummingbird")],
            path: "Tests/Interop/SwiftApp"
        ),
        // The served Swift app of the peer benchmark (Benchmarks/Peers), driven by `inngest dev`.
        .executableTarget(
            name: "InngestPeerBenchmarkApp",
            dependencies: ["Inngest", "InngestHummingbird", .product(name: "Hummingbird", package: "hummingbird")],
            path: "Benchmarks/Peers/SwiftApp"
        ),
    ]
)

for target in package.targets where target.type != .plugin {
    target.swiftSettings = (target.swiftSettings ?? []) + sharedSwiftSettings
}

// Documentation: `swift package generate-documentation` comes from swift-docc-plugin, which
// is added only when INNGEST_DOCC is set (Docs/build-docs.sh sets it), so ordinary builds
// neither resolve nor build it.
if Context.environment["INNGEST_DOCC"] != nil {
    package.dependencies.append(.package(url: "https://github.com/swiftlang/swift-docc-plugin", from: "1.5.0"))
}
