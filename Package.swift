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
        .executableTarget(name: "InngestBenchmarks", dependencies: ["InngestEngine"]),
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
