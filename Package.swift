// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "polygrader",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "polygrader", targets: ["polygrader"]),
        .executable(name: "polyjail", targets: ["polyjail"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/apple/swift-log", from: "1.6.0"),
        .package(url: "https://github.com/apple/swift-metrics", from: "2.5.0"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.0.0"),
        .package(url: "https://github.com/swift-server/async-http-client", from: "1.21.0"),
        // Used directly by XQueue (headers, the TLS switch) and by its tests' fake server; already in the graph
        // through async-http-client, so they cost no extra build.
        .package(url: "https://github.com/apple/swift-nio", from: "2.81.0"),
        .package(url: "https://github.com/apple/swift-nio-ssl", from: "2.29.0"),
        // The watcher's runtime: services started and stopped together, the operations endpoints, Prometheus.
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.6.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.5.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus", from: "2.0.0"),
        // problem.yml `feedback.template` (docs/reference/problem-yml.md, "Feedback templates").
        .package(url: "https://github.com/hummingbird-project/swift-mustache", from: "2.0.0"),
    ],
    targets: [
        // System libraries, found through pkg-config.
        .systemLibrary(name: "CSeccomp", pkgConfig: "libseccomp",
                       providers: [.apt(["libseccomp-dev"])]),
        .systemLibrary(name: "CArchive", pkgConfig: "libarchive",
                       providers: [.apt(["libarchive-dev"])]),

        // The jail: the only C in the repository, a single-threaded helper spawned by Sandbox.
        .executableTarget(
            name: "polyjail",
            dependencies: ["CSeccomp"],
            cSettings: [.define("_GNU_SOURCE"), .unsafeFlags(["-Wall", "-Wextra", "-Wno-unused-parameter"])],
            linkerSettings: [.linkedLibrary("seccomp")]
        ),

        .target(
            name: "Sandbox",
            dependencies: [
                "CSeccomp",
                .product(name: "Yams", package: "Yams"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .target(
            name: "Languages",
            dependencies: [
                "Sandbox",
                .product(name: "Yams", package: "Yams"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .target(
            name: "Intake",
            dependencies: [
                "CArchive", "Sandbox",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
            ]
        ),
        .target(
            name: "Grading",
            dependencies: [
                "Intake", "Languages", "Sandbox",
                .product(name: "Yams", package: "Yams"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Mustache", package: "swift-mustache"),
            ]
        ),
        // XQueue: the wire to classic XQueue and the LMS's edx-submissions endpoints; knows nothing of grading.
        .target(
            name: "XQueue",
            dependencies: [
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
            ]
        ),
        // Watcher: xqueue-watcher-compatible configuration, queues and slots, polling, shutdown, operations.
        .target(
            name: "Watcher",
            dependencies: [
                "XQueue", "Grading", "Intake", "Languages", "Sandbox",
                .product(name: "Yams", package: "Yams"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "UnixSignals", package: "swift-service-lifecycle"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
            ]
        ),
        // EmbeddedQueue: a small XQueue-compatible server in-process, for `polygrader demo`, the benchmarks and tests.
        .target(
            name: "EmbeddedQueue",
            dependencies: [
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
            ]
        ),
        .executableTarget(
            name: "polygrader",
            dependencies: [
                "Watcher", "EmbeddedQueue", "XQueue", "Grading", "Intake", "Languages", "Sandbox",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Yams", package: "Yams"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),

        .testTarget(name: "SandboxTests", dependencies: ["Sandbox", .product(name: "Yams", package: "Yams")]),
        .testTarget(name: "LanguagesTests", dependencies: ["Languages", "Sandbox"]),
        .testTarget(name: "IntakeTests", dependencies: ["Intake"]),
        .testTarget(name: "GradingTests", dependencies: ["Grading", "Languages", "Sandbox", "Intake"]),
        .testTarget(
            name: "WatcherTests",
            dependencies: [
                "Watcher", "XQueue", "Grading", "Sandbox", "Languages", "EdxFixture", "XQueueFakes",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Hummingbird", package: "hummingbird"),
            ]
        ),
        // The real edx-submissions server of the integration tests (Tests/Fixtures/edx-submissions).
        .target(name: "EdxFixture", path: "Tests/Support/EdxFixture"),
        // An in-process XQueue with scripted faults, for the fault tests of the client and of the watcher.
        .target(
            name: "XQueueFakes",
            dependencies: [
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
            ],
            path: "Tests/Support/XQueueFakes"
        ),
        .testTarget(
            name: "EmbeddedQueueTests",
            dependencies: [
                "EmbeddedQueue", "XQueue",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
            ]
        ),
        .testTarget(
            name: "XQueueTests",
            dependencies: [
                "XQueue", "EdxFixture", "XQueueFakes",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
            ]
        ),
    ]
)
