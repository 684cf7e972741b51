// swift-tools-version: 6.1
// The SDK package: what a user's one `.package(url:)` line brings in. It holds the library, its
// test double and their unit tests, with only the dependencies the library uses. The emulator,
// the command-line tools, the demo and the tests that need a server live in Tools/ (a package of
// their own that depends on this one by path), so none of their dependencies reach a consumer.
import PackageDescription

let package = Package(
    name: "FlameHub",
    platforms: [.macOS(.v15)],
    products: [
        .library(name: "FlameHub", targets: ["FlameHub"]),
        .library(name: "FlameHubTesting", targets: ["FlameHubTesting"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-http-types.git", from: "1.8.0"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
    ],
    targets: [
        // libcurl, reached through a module map and a shim header of typed, non-variadic wrappers.
        .systemLibrary(
            name: "CCurl",
            path: "CCurl",
            pkgConfig: "libcurl",
            providers: [.apt(["libcurl4-openssl-dev"])]
        ),
        .target(
            name: "FlameHub",
            dependencies: [
                "CCurl",
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .target(
            name: "FlameHubTesting",
            dependencies: ["FlameHub"]
        ),
        .testTarget(
            name: "FlameHubTests",
            dependencies: ["FlameHub", "FlameHubTesting"]
        ),
        // The SDK's runtime-dependent behaviour (dates, locale, environment) in a program linked
        // like a user's: FlameHub and FoundationEssentials only, not the full Foundation the
        // tests link. Not a product; .ci/test runs it.
        .executableTarget(
            name: "FlameHubLinkCheck",
            dependencies: ["FlameHub"],
            path: "Tests/LinkCheck"
        ),
    ],
    swiftLanguageModes: [.v6]
)

// The documentation plugin, only for building the docs (`FLAMEHUB_DOCS=1`, see .ci/docs): a
// consumer's resolution never sees it, so depending on the SDK still costs three packages.
if Context.environment["FLAMEHUB_DOCS"] == "1" {
    package.dependencies.append(.package(url: "https://github.com/swiftlang/swift-docc-plugin", from: "1.5.0"))
}
