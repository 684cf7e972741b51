// swift-tools-version: 6.1
// The tools package: the Hub emulator, the command-line tools, the demo and the tests that run
// against real servers. It depends on the SDK package (the repository root) by path, so the
// server stack and argument parsing stay out of the graph of anyone who depends on the SDK.
import PackageDescription

let package = Package(
    name: "FlameHubTools",
    platforms: [.macOS(.v15)],
    products: [
        .library(name: "FlameHubEmulator", targets: ["FlameHubEmulator"]),
        .executable(name: "flame-hub-emulator", targets: ["FlameHubEmulatorCLI"]),
        .executable(name: "flamehub-demo", targets: ["FlameHubDemo"]),
        .executable(name: "flamehub", targets: ["FlameHubCLI"]),
        .executable(name: "flamehub-codegen", targets: ["FlameHubCodegenCLI"]),
    ],
    dependencies: [
        .package(name: "FlameHub", path: ".."),
        .package(url: "https://github.com/apple/swift-http-types.git", from: "1.8.0"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(url: "https://github.com/hummingbird-project/hummingbird.git", from: "2.28.1"),
        .package(url: "https://github.com/apple/swift-crypto.git", "3.12.3"..<"5.0.0"),
        // Read by flamehub-codegen only, so it never reaches the SDK's consumers.
        .package(url: "https://github.com/swiftlang/swift-syntax.git", from: "603.0.1"),
    ],
    targets: [
        .target(
            name: "FlameHubEmulator",
            dependencies: [
                // The SDK's generations, key casing, dates and file I/O: one copy of each.
                .product(name: "FlameHub", package: "FlameHub"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
                // SHA-256 and RS256 token signatures with a published JWKS, like authup's.
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "_CryptoExtras", package: "swift-crypto"),
            ]
        ),
        .executableTarget(
            name: "FlameHubEmulatorCLI",
            dependencies: [
                "FlameHubEmulator",
                .product(name: "FlameHub", package: "FlameHub"),
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .executableTarget(
            name: "FlameHubDemo",
            dependencies: [
                .product(name: "FlameHub", package: "FlameHub"),
                "FlameHubEmulator",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        // `flamehub`, the Hub from a shell: the SDK and argument parsing only, no server stack.
        .executableTarget(
            name: "FlameHubCLI",
            dependencies: [
                .product(name: "FlameHub", package: "FlameHub"),
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        // What the test targets share: subprocesses through posix_spawn (see ChildProcess.swift).
        .target(name: "FlameHubTestSupport", path: "Tests/FlameHubTestSupport"),
        // Runs the built `flamehub` as a subprocess against in-process emulators.
        .testTarget(
            name: "FlameHubCLITests",
            dependencies: [
                "FlameHubCLI",
                "FlameHubTestSupport",
                "FlameHubEmulator",
                .product(name: "FlameHub", package: "FlameHub"),
                .product(name: "Crypto", package: "swift-crypto"),
                // The doc samples (DocSamples.generated.swift) use what the articles show.
                .product(name: "FlameHubTesting", package: "FlameHub"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        // Writes Sources/FlameHub/Generated/ from the SDK's sources (see FlameHubCodegenCLI/main.swift).
        .target(
            name: "FlameHubCodegen",
            dependencies: [
                .product(name: "SwiftParser", package: "swift-syntax"),
                .product(name: "SwiftSyntax", package: "swift-syntax"),
            ]
        ),
        .executableTarget(
            name: "FlameHubCodegenCLI",
            dependencies: ["FlameHubCodegen"]
        ),
        .testTarget(
            name: "FlameHubCodegenTests",
            dependencies: ["FlameHubCodegen", "FlameHubTestSupport"]
        ),
        // Not tests: `.ci/leak-check` (10,000 mixed requests under LeakSanitizer, against a
        // local server, linking the SDK only) and `.ci/soak` (5 minutes against the emulator with
        // injected faults) run these.
        .target(name: "FlameHubHygiene"),
        .executableTarget(
            name: "FlameHubLeakCheck",
            dependencies: [
                "FlameHubHygiene",
                .product(name: "FlameHub", package: "FlameHub"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
            ]
        ),
        .executableTarget(
            name: "FlameHubSoak",
            dependencies: [
                "FlameHubEmulator",
                "FlameHubHygiene",
                .product(name: "FlameHub", package: "FlameHub"),
            ]
        ),
        .testTarget(
            name: "FlameHubIntegrationTests",
            dependencies: [
                "FlameHubTestSupport",
                .product(name: "FlameHub", package: "FlameHub"),
                .product(name: "FlameHubTesting", package: "FlameHub"),
                "FlameHubEmulator",
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Hummingbird", package: "hummingbird"),
            ]
        ),
        .testTarget(
            name: "FlameHubEmulatorTests",
            dependencies: [
                "FlameHubEmulator",
                .product(name: "FlameHub", package: "FlameHub"),
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "_CryptoExtras", package: "swift-crypto"),
            ]
        ),
    ],
    swiftLanguageModes: [.v6]
)
