// swift-tools-version:6.1
import PackageDescription

/// Every target builds in the Swift 6 language mode with strict concurrency; the
/// layout follows the architecture table of the product design (§3).
let package = Package(
    name: "kioskd",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "kioskd", targets: ["kioskd"]),
        .executable(name: "kioskctl", targets: ["kioskctl"]),
        .executable(name: "case-service", targets: ["case-service"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.0"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.80.0"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.0.0"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.6.0"),
        .package(url: "https://github.com/swift-server/async-http-client", from: "1.24.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.5.0"),
        .package(url: "https://github.com/LebJe/TOMLKit", from: "0.6.0"),
        .package(url: "https://github.com/apple/swift-openapi-runtime", from: "1.8.0"),
        .package(url: "https://github.com/swift-server/swift-openapi-async-http-client", from: "1.1.0"),
        .package(url: "https://github.com/hummingbird-project/swift-openapi-hummingbird", from: "2.0.0"),
        // 3.12 or later; 4.x is what swift-certificates and swift-nio-extras already resolve to.
        .package(url: "https://github.com/apple/swift-crypto", "3.12.0"..<"5.0.0"),
        .package(url: "https://github.com/apple/swift-metrics", from: "2.5.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus", from: "2.0.0"),
    ],
    targets: [
        // MARK: Pure logic
        // The ledger's format specification lives beside its code, for readers, not the build.
        .target(name: "KioskCore", exclude: ["Payments/LEDGER-FORMAT.md"]),

        // MARK: Adapters, one per outside system
        .target(
            name: "KioskTerminal",
            dependencies: [
                "KioskCore",
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ]
        ),
        .target(
            name: "KioskStore",
            dependencies: ["KioskCore", .product(name: "GRDB", package: "GRDB.swift")]
        ),
        .systemLibrary(
            name: "CCUPS",
            path: "Sources/CCUPS",
            providers: [.apt(["libcups2-dev"])]
        ),
        .target(
            name: "KioskPrinting",
            dependencies: [
                "KioskCore", "CCUPS",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ]
        ),
        .systemLibrary(
            name: "CQRencode",
            path: "Sources/CQRencode",
            providers: [.apt(["libqrencode-dev"])]
        ),
        // QR codes for payment orders, drawn on the terminals.
        .target(name: "KioskQRCode", dependencies: ["KioskCore", "CQRencode"]),
        // The central service's contract: types, client and server generated from
        // Resources/openapi/case-service.yaml by `make openapi` (committed, not a build plugin).
        .target(
            name: "CaseServiceAPI",
            dependencies: [.product(name: "OpenAPIRuntime", package: "swift-openapi-runtime")]
        ),
        .target(
            name: "KioskForwarding",
            dependencies: [
                "KioskCore", "CaseServiceAPI",
                .product(name: "OpenAPIRuntime", package: "swift-openapi-runtime"),
                .product(name: "OpenAPIAsyncHTTPClient", package: "swift-openapi-async-http-client"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        // The ledger's SHA-256 and Ed25519 through swift-crypto, and the kiosk's key file.
        .target(
            name: "KioskSigning",
            dependencies: ["KioskCore", .product(name: "Crypto", package: "swift-crypto")]
        ),
        .target(
            name: "KioskControl",
            dependencies: [
                "KioskCore",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            resources: [.embedInCode("Resources/io.kioskd.Control.varlink")]
        ),

        // Prometheus metrics: swift-metrics' factory and the /metrics endpoint on HTTP.
        .target(
            name: "KioskMetrics",
            dependencies: [
                "KioskCore",
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ]
        ),

        // MARK: Composition root
        .target(
            name: "KioskDaemon",
            dependencies: [
                "KioskCore", "KioskTerminal", "KioskStore", "KioskPrinting", "KioskForwarding", "KioskControl", "KioskQRCode", "KioskSigning",
                "KioskMetrics", .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "UnixSignals", package: "swift-service-lifecycle"),
                .product(name: "TOMLKit", package: "TOMLKit"),
            ],
            resources: [
                .embedInCode("Resources/kioskd.toml"),
                .embedInCode("Resources/locales/zh-CN.toml"),
                .embedInCode("Resources/locales/en.toml"),
                .embedInCode("Resources/templates/acceptance-slip.txt"),
                .embedInCode("Resources/templates/payment-receipt.txt"),
                .embedInCode("Resources/templates/service-guide.txt"),
                .embedInCode("Resources/templates/daily-settlement.txt"),
                .embedInCode("Resources/templates/insurance-certificate.txt"),
                .embedInCode("Resources/catalog/person-01-birth.toml"),
                .embedInCode("Resources/catalog/person-02-schooling.toml"),
                .embedInCode("Resources/catalog/person-03-employment.toml"),
                .embedInCode("Resources/catalog/person-04-housing.toml"),
                .embedInCode("Resources/catalog/person-05-marriage.toml"),
                .embedInCode("Resources/catalog/person-06-retirement.toml"),
                .embedInCode("Resources/catalog/person-07-after-death.toml"),
                .embedInCode("Resources/catalog/person-08-living.toml"),
                .embedInCode("Resources/catalog/legal-01-establishment.toml"),
                .embedInCode("Resources/catalog/legal-02-construction.toml"),
                .embedInCode("Resources/catalog/legal-03-operation.toml"),
                .embedInCode("Resources/catalog/legal-04-exit.toml"),
            ]
        ),

        // MARK: The reference central case service
        .target(
            name: "CaseService",
            dependencies: [
                "CaseServiceAPI",
                .product(name: "OpenAPIRuntime", package: "swift-openapi-runtime"),
                .product(name: "OpenAPIHummingbird", package: "swift-openapi-hummingbird"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "GRDB", package: "GRDB.swift"),
                // SHA-256: catalog versions, and the proof tokens applications name by digest.
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ]
        ),

        // MARK: Thin executables
        .executableTarget(
            name: "kioskd",
            dependencies: [
                "KioskDaemon",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ]
        ),
        .executableTarget(
            name: "kioskctl",
            dependencies: ["KioskControl", "KioskCore", .product(name: "ArgumentParser", package: "swift-argument-parser")]
        ),
        .executableTarget(
            name: "case-service",
            dependencies: [
                "CaseService",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Hummingbird", package: "hummingbird"),
            ]
        ),

        // MARK: Test support and tests
        .target(
            name: "KioskTesting",
            dependencies: [
                "KioskCore", "KioskTerminal", "KioskControl", "KioskDaemon", "CaseService",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ]
        ),
        // Snapshots/ holds the screens' recorded text, read by path, not bundled.
        .testTarget(name: "KioskCoreTests", dependencies: ["KioskCore", "KioskTesting"], exclude: ["Snapshots"]),
        .testTarget(
            name: "KioskTerminalTests",
            dependencies: [
                "KioskTerminal", "KioskTesting",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ]
        ),
        .testTarget(name: "KioskStoreTests", dependencies: ["KioskStore", "KioskSigning", "KioskTesting"]),
        .testTarget(name: "KioskPrintingTests", dependencies: ["KioskPrinting", "KioskTesting"]),
        .testTarget(name: "KioskQRCodeTests", dependencies: ["KioskQRCode", "KioskTesting"]),
        .testTarget(
            name: "KioskForwardingTests",
            dependencies: [
                "KioskForwarding", "KioskStore", "CaseService", "KioskTesting", "KioskSigning",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ]
        ),
        .testTarget(
            name: "KioskControlTests",
            dependencies: [
                "KioskControl", "KioskTesting",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ]
        ),
        // Ledger, settlement and signing; runs scripts/verify-ledger-export.py when python3-cryptography is there.
        .testTarget(name: "KioskPaymentsTests", dependencies: ["KioskCore", "KioskSigning"]),
        .testTarget(
            name: "KioskDaemonTests",
            dependencies: [
                "KioskDaemon", "KioskTesting", "KioskStore", "KioskSigning", "KioskForwarding", "CaseService",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ]
        ),
        .testTarget(
            name: "EndToEndTests",
            dependencies: ["KioskTesting", "KioskControl", "KioskStore", "KioskSigning", "KioskForwarding", "CaseService"]
        ),

        // MARK: Benchmarks
        .executableTarget(
            name: "kioskd-bench",
            dependencies: [
                "KioskControl", "KioskCore", "KioskPrinting", "KioskSigning", "KioskStore", "KioskTesting",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
            ],
            path: "Benchmarks/kioskd-bench"
        ),
    ],
    swiftLanguageModes: [.v6]
)
