import FlameHub
import FlameHubEmulator
import FlameHubTesting
import Foundation
import Testing

/// Tests import the SDK, its test double and the emulator side by side, so a type name public in
/// more than one of them would make every unqualified use of it ambiguous.
@Suite struct PublicNameTests {
    /// The names that once clashed (`JSONValue` in both modules, the emulator's own `Generation`
    /// and `CoreResources`), used unqualified: this file stops compiling if one clashes again.
    @Test func formerlyClashingNamesResolveUnqualified() {
        let generation: HubGeneration = .legacy
        #expect(generation.hubVersion == "0.8.13")
        #expect(HubGeneration.current.authupVersion == "1.0.0-beta.63")

        let sdkValue: JSONValue = .object(["size": .number(3)])
        let emulatorValue: EmulatorJSON = ["size": 3]
        let record: EmulatorJSONObject = emulatorValue.objectValue ?? [:]
        #expect(sdkValue["size"]?.intValue == record["size"]?.intValue)

        #expect(CoreResources.Nodes.path == "nodes")
        #expect(AuthResources.Realms.path == "realms")
        #expect(StorageResources.Buckets.path == "buckets")
        #expect(FilterValue.isNull.description == "null")
    }

    /// Every top-level public type name of FlameHub and FlameHubTesting, and every one of the
    /// emulator, as declared in the sources: no name may be in both sets. This catches a clash
    /// that no test uses yet.
    @Test func noPublicTypeNameIsDeclaredByTheSDKAndTheEmulator() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent()
        let sdk = try Self.publicTypeNames(
            in: [root.appending(path: "Sources/FlameHub"), root.appending(path: "Sources/FlameHubTesting")])
        let emulator = try Self.publicTypeNames(in: [root.appending(path: "Tools/Sources/FlameHubEmulator")])
        // Guards against a scan that finds nothing (moved directories) and so passes vacuously.
        #expect(sdk.isSuperset(of: ["HubClient", "JSONValue", "HubGeneration", "MockTransport"]))
        #expect(emulator.isSuperset(of: ["HubEmulator", "EmulatorJSON", "Fault"]))
        #expect(sdk.intersection(emulator).sorted() == [])
    }

    /// Names declared at the top level (column 0) as `public`/`open`, SPI ones included.
    static func publicTypeNames(in directories: [URL]) throws -> Set<String> {
        let declaration =
            #/^(?:@[A-Za-z_]+(?:\([^)]*\))?\s+)*(?:public|open)\s+(?:(?:final|indirect)\s+)*(?:struct|enum|class|actor|protocol|typealias)\s+(\w+)/#
        var names = Set<String>()
        for directory in directories {
            let files = try FileManager.default.subpathsOfDirectory(atPath: directory.path)
            for file in files where file.hasSuffix(".swift") {
                let text = try String(contentsOf: directory.appending(path: file), encoding: .utf8)
                for line in text.split(separator: "\n") {
                    if let match = line.prefixMatch(of: declaration) { names.insert(String(match.1)) }
                }
            }
        }
        return names
    }
}
