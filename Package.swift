// swift-tools-version: 6.1
import CompilerPluginSupport
import PackageDescription

let package = Package(
    name: "FlameHub",
    platforms: [.macOS(.v15)],
    products: [
        .library(name: "FlameHub", targets: ["FlameHub"]),
        .library(name: "FlameHubTesting", targets: ["FlameHubTesting"]),
        .library(name: "FlameHubEmulator", targets: ["FlameHubEmulator"]),
        .executable(name: "flame-hub-emulator", targets: ["FlameHubEmulatorCLI"]),
        .executable(name: "flamehub-demo", targets: ["FlameHubDemo"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-http-types.git", from: "1.8.0"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(url: "https://github.com/hummingbird-project/hummingbird.git", from: "2.28.1"),
        .package(url: "https://github.com/swiftlang/swift-syntax.git", from: "603.0.1"),
        .package(url: "https://github.com/apple/swift-crypto.git", "3.12.3"..<"5.0.0"),
    ],
    targets: [
        // libcurl, reached through a module map and a shim header of typed, non-variadic wrappers.
        .systemLibrary(
            name: "CCurl",
            path: "CCurl",
            pkgConfig: "libcurl",
            providers: [.apt(["libcurl4-openssl-dev"])]
        ),
        // Generates each resource's guide-style methods (getNode, findNodes, …) from one declaration.
        .macro(
            name: "FlameHubMacros",
            dependencies: [
                .product(name: "SwiftSyntaxMacros", package: "swift-syntax"),
                .product(name: "SwiftCompilerPlugin", package: "swift-syntax"),
            ]
        ),
        .target(
            name: "FlameHub",
            dependencies: [
                "CCurl",
                "FlameHubMacros",
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .target(
            name: "FlameHubTesting",
            dependencies: ["FlameHub"]
        ),
        .target(
            name: "FlameHubEmulator",
            dependencies: [
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
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .executableTarget(
            name: "FlameHubDemo",
            dependencies: [
                "FlameHub",
                "FlameHubEmulator",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .testTarget(
            name: "FlameHubTests",
            dependencies: ["FlameHub", "FlameHubTesting"]
        ),
        .testTarget(
            name: "FlameHubIntegrationTests",
            dependencies: [
                "FlameHub", "FlameHubTesting", "FlameHubEmulator",
                .product(name: "Hummingbird", package: "hummingbird"),
            ]
        ),
        .testTarget(
            name: "FlameHubEmulatorTests",
            dependencies: [
                "FlameHubEmulator",
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "_CryptoExtras", package: "swift-crypto"),
            ]
        ),
    ],
    swiftLanguageModes: [.v6]
)
