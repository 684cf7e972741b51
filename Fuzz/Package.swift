// swift-tools-version: 6.1
// libFuzzer targets for what the SDK reads from the network (records, `{data, meta}` lists, error
// bodies) and what it writes from user input (filters, sort, fields, ids into a query). Its own
// package so that `-sanitize=fuzzer` instruments only these builds; `Fuzz/run` builds and runs
// each target for a bounded time from the committed corpus in `Fuzz/corpus/<target>/`.
import PackageDescription

let fuzzTargets = ["FuzzRecords", "FuzzLists", "FuzzErrors", "FuzzQuery"]

let package = Package(
    name: "FlameHubFuzz",
    platforms: [.macOS(.v15)],
    dependencies: [
        .package(name: "FlameHub", path: "..")
    ],
    targets: [
        .target(
            name: "FuzzSupport",
            dependencies: [
                .product(name: "FlameHub", package: "FlameHub"),
                .product(name: "FlameHubTesting", package: "FlameHub"),
            ]
        )
    ]
        + fuzzTargets.map { name in
            // libFuzzer supplies `main`; the target only defines `LLVMFuzzerTestOneInput`.
            .executableTarget(
                name: name,
                dependencies: [
                    "FuzzSupport",
                    .product(name: "FlameHub", package: "FlameHub"),
                    .product(name: "FlameHubTesting", package: "FlameHub"),
                ],
                swiftSettings: [.unsafeFlags(["-parse-as-library"])]
            )
        },
    swiftLanguageModes: [.v6]
)
