// swift-tools-version: 6.1
// A peer, not the SDK: the small client a user might write in an afternoon with URLSession and
// JSONDecoder (FoundationNetworking on Linux), measured beside the SDK by `Benchmarks/run`.
import PackageDescription

let package = Package(
    name: "URLSessionPeer",
    platforms: [.macOS(.v15)],
    targets: [.executableTarget(name: "URLSessionPeer")],
    swiftLanguageModes: [.v6]
)
