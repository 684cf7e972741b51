// swift-tools-version: 6.1
// Benchmarks live in their own package so their release builds never slow the SDK's tests.
import PackageDescription

let package = Package(
    name: "FlameHubBenchmarks",
    platforms: [.macOS(.v15)],
    dependencies: [
        .package(name: "FlameHub", path: ".."),
        .package(name: "FlameHubTools", path: "../Tools"),
        .package(url: "https://github.com/apple/swift-http-types.git", from: "1.8.0"),
    ],
    targets: [
        .executableTarget(
            name: "EmulatorBench",
            dependencies: [
                .product(name: "FlameHub", package: "FlameHub"),
                .product(name: "FlameHubEmulator", package: "FlameHubTools"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
            ]
        ),
        .executableTarget(
            name: "TransportBench",
            dependencies: [
                .product(name: "FlameHub", package: "FlameHub"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
            ]
        ),
        .executableTarget(
            name: "SurfaceBench",
            dependencies: [
                .product(name: "FlameHub", package: "FlameHub"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
            ]
        ),
        .executableTarget(
            name: "CountBench",
            dependencies: [
                .product(name: "FlameHub", package: "FlameHub"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
            ]
        ),
        .executableTarget(
            name: "DecodeBench",
            dependencies: [.product(name: "FlameHub", package: "FlameHub")]
        ),
    ],
    swiftLanguageModes: [.v6]
)
