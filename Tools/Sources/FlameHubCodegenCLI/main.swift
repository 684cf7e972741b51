// flamehub-codegen: writes the SDK's generated Swift files (Sources/FlameHub/Generated/) from the
// SDK's own sources, so the library needs no macros and its consumers never build swift-syntax.
//
//     swift run --package-path Tools flamehub-codegen            # rewrites the generated files in place
//     swift run --package-path Tools flamehub-codegen --check    # only reports stale files (exit 1)
//     swift run --package-path Tools flamehub-codegen --root /path/to/checkout
//
// Run it after changing a client's `Resource<…>` properties, a resource descriptor's
// conformances or `Model`, or a request body marked with `init(_: GeneratedMemberwiseInit)`.
// The repository defaults to the checkout this file belongs to (found from #filePath), so the
// working directory does not matter. FlameHubCodegenTests fails while a committed file is stale.
import FlameHubCodegen
import Foundation

let usage = "usage: flamehub-codegen [--check] [--root <repository>]"

var checkOnly = false
// Tools/Sources/FlameHubCodegenCLI/main.swift → the repository root, four levels up.
var root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent().deletingLastPathComponent()
var arguments = CommandLine.arguments.dropFirst()
while let argument = arguments.popFirst() {
    switch argument {
    case "--check":
        checkOnly = true
    case "--root":
        guard let path = arguments.popFirst() else {
            FileHandle.standardError.write(Data("\(usage)\n".utf8))
            exit(2)
        }
        root = URL(fileURLWithPath: path)
    case "-h", "--help":
        print(usage)
        exit(0)
    default:
        FileHandle.standardError.write(Data("unknown argument '\(argument)'\n\(usage)\n".utf8))
        exit(2)
    }
}

do {
    let generated = try Codegen.generate(try Codegen.readSources(repository: root))
    if checkOnly {
        let stale = Codegen.differences(generated: generated, committed: try Codegen.readCommitted(repository: root))
        for difference in stale { print(difference) }
        print(stale.isEmpty ? "\(generated.count) generated files are up to date" : "run flamehub-codegen to update")
        exit(stale.isEmpty ? 0 : 1)
    }
    let changes = try Codegen.write(generated, repository: root)
    for change in changes {
        switch change.kind {
        case .stale, .missing: print("wrote \(change.path)")
        case .unexpected: print("removed \(change.path)")
        }
    }
    print("\(generated.count) generated files, \(changes.count) changed")
} catch {
    FileHandle.standardError.write(Data("flamehub-codegen: \(error)\n".utf8))
    exit(1)
}
