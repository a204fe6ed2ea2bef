// swift-tools-version:6.2
import PackageDescription

/// Every target opts into the same upcoming features: with internal imports by default a type of another target
/// in a public signature needs a `public import`, which keeps the dependency arrows between targets visible.
let swiftSettings: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("InternalImportsByDefault"),
    .enableUpcomingFeature("MemberImportVisibility"),
]

/// Release builds on Linux link with lld, for three memory savings that each cost one flag (figures in
/// docs/performance.md; deploy/check-static-build.sh fails when one is missing):
/// - relative relocations packed (DT_RELR, which Debian 12's glibc applies): the loader reads a few KB of them at
///   start instead of megabytes;
/// - libstdc++, which the Swift runtime needs, taken from its static archive through the linker script
///   `Link/libstdc++.so`, so that only the part used is mapped;
/// - no symbol exported (the Swift driver asks for `-export-dynamic`, but no library looks a symbol up in the
///   binary), so the loader does not search the executable's large dynamic symbol table for every library symbol.
let linkInputs = "\(Context.packageDirectory)/Sources/vigilante/Link"
let releaseLinkerSettings: [LinkerSetting] = [
    .unsafeFlags(
        [
            "-use-ld=lld",
            "-L\(linkInputs)",
            "-Xlinker", "-z", "-Xlinker", "pack-relative-relocs",
            "-Xlinker", "--no-export-dynamic",
        ],
        .when(platforms: [.linux], configuration: .release)
    )
]

let package = Package(
    name: "cops-vigilante",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "vigilante", targets: ["vigilante"])
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
        .package(url: "https://github.com/jpsim/Yams.git", from: "6.2.2"),
        .package(url: "https://github.com/swift-server/swift-prometheus.git", from: "2.4.1"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.13.0"),
    ],
    targets: [
        // C libraries, found with pkg-config; the shims wrap what Swift cannot import (macros, varargs).
        .systemLibrary(
            name: "COpenSSL",
            pkgConfig: "openssl",
            providers: [.apt(["libssl-dev"])]
        ),
        .systemLibrary(
            name: "CCurl",
            pkgConfig: "libcurl",
            providers: [.apt(["libcurl4-openssl-dev"])]
        ),

        // epoll and eventfd, which Swift's Glibc module leaves out.
        .target(name: "CLinuxEvents"),

        // Sockets, TLS and HTTP/1.1. Knows nothing of Kubernetes.
        .target(
            name: "HTTPServer",
            dependencies: ["COpenSSL", "CLinuxEvents", .product(name: "Logging", package: "swift-log")],
            swiftSettings: swiftSettings
        ),
        // The Kubernetes models and the API protocol the healing code is written against.
        .target(
            name: "Kubernetes",
            swiftSettings: swiftSettings
        ),
        // POST /validate: AdmissionReview v1/v1beta1 in and out; hands Node events to a sink.
        .target(
            name: "Webhook",
            dependencies: [
                "HTTPServer",
                "Kubernetes",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Prometheus", package: "swift-prometheus"),
            ],
            swiftSettings: swiftSettings
        ),
        // /metrics, process metrics, build info, and /healthz /readyz.
        .target(
            name: "Monitoring",
            dependencies: ["HTTPServer", .product(name: "Prometheus", package: "swift-prometheus")],
            swiftSettings: swiftSettings
        ),
        // The SNAT healing scheduler: node events and resyncs in, probe pods and annotations out.
        .target(
            name: "Healing",
            dependencies: [
                "Kubernetes",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Prometheus", package: "swift-prometheus"),
            ],
            swiftSettings: swiftSettings
        ),
        // Leader election on a coordination.k8s.io Lease, as client-go does it. Knows nothing of healing.
        .target(
            name: "LeaderElection",
            dependencies: [
                "Kubernetes",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Prometheus", package: "swift-prometheus"),
            ],
            swiftSettings: swiftSettings
        ),
        // The libcurl implementation of the Kubernetes API.
        .target(
            name: "KubernetesClient",
            dependencies: [
                "CCurl",
                "CLinuxEvents",
                "Kubernetes",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "Yams", package: "Yams"),
            ],
            swiftSettings: swiftSettings
        ),
        // Configuration, logging and the wiring of every service: the one target that sees all others.
        .target(
            name: "VigilanteApp",
            dependencies: [
                "Healing",
                "HTTPServer",
                "Kubernetes",
                "KubernetesClient",
                "LeaderElection",
                "Monitoring",
                "Webhook",
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "UnixSignals", package: "swift-service-lifecycle"),
                .product(name: "Yams", package: "Yams"),
            ],
            swiftSettings: swiftSettings,
            plugins: ["BuildInfoPlugin"]
        ),
        .executableTarget(
            name: "vigilante",
            dependencies: [
                "VigilanteApp",
                "Healing",
                "Kubernetes",
                "KubernetesClient",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ],
            exclude: ["Link"],
            swiftSettings: swiftSettings,
            linkerSettings: releaseLinkerSettings
        ),
        // Writes the git commit the binary is built from into a generated source file.
        .plugin(
            name: "BuildInfoPlugin",
            capability: .buildTool()
        ),

        // Test helpers only: throw-away certificates, temporary directories, the shared fixtures.
        .target(
            name: "TestSupport",
            dependencies: ["Kubernetes", "Healing"],
            swiftSettings: swiftSettings
        ),

        .testTarget(
            name: "SystemLibraryTests",
            dependencies: ["HTTPServer", "KubernetesClient"],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "HTTPServerTests",
            dependencies: ["HTTPServer", "TestSupport", .product(name: "Logging", package: "swift-log")],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "WebhookTests",
            dependencies: [
                "Webhook", "Kubernetes", "HTTPServer", "TestSupport",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Prometheus", package: "swift-prometheus"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "MonitoringTests",
            dependencies: [
                "Monitoring", "HTTPServer", "TestSupport", .product(name: "Prometheus", package: "swift-prometheus"),
            ],
            swiftSettings: swiftSettings
        ),
        // The client against the fake API server (Tests/fakeapi, Python) over real HTTPS, plus its pure parts.
        .testTarget(
            name: "KubernetesClientTests",
            dependencies: [
                "KubernetesClient", "Kubernetes", "TestSupport",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "InMemoryLogging", package: "swift-log"),
                .product(name: "Prometheus", package: "swift-prometheus"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "LeaderElectionTests",
            dependencies: [
                "LeaderElection", "Kubernetes", "TestSupport",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Prometheus", package: "swift-prometheus"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "HealingTests",
            dependencies: [
                "Healing", "Kubernetes", "TestSupport",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Prometheus", package: "swift-prometheus"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "KubernetesTests",
            dependencies: ["Kubernetes", "TestSupport"],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "VigilanteAppTests",
            dependencies: [
                "VigilanteApp",
                "TestSupport",
                "Monitoring",
                "HTTPServer",
                .product(name: "Prometheus", package: "swift-prometheus"),
                "Kubernetes",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "InMemoryLogging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings
        ),
        // Runs the built `vigilante` binary as a user would.
        .testTarget(
            name: "CLITests",
            dependencies: ["vigilante", "TestSupport"],
            swiftSettings: swiftSettings
        ),
    ]
)
