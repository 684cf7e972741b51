import FlameHub

/// The master images of a fresh Hub. The Hub has no seeder for them: at start-up (and on the
/// `sync` command) it downloads PrivateAIM/master-images (`MASTER_IMAGES_OWNER`,
/// `MASTER_IMAGES_REPOSITORY`, `MASTER_IMAGES_BRANCH`, default `PrivateAim/master-images@master`),
/// scans it with docken's `scanDirectory` and stores what it found:
///
/// - a folder with `image-group.json` is a group, one with `image.json` or a `Dockerfile` an image;
///   an image inherits `command` / `commandArguments` from the nearest group (docken
///   `src/scan/module.ts`), its own `image.json` overriding them;
/// - an image's `name` is its folder name, its `groupVirtualPath` its virtual path minus the last
///   part; a group's `name` is the `name` of its `image-group.json`;
/// - `commandArguments` is always a list (`[]` when none), plain strings becoming `{"value": …}`
///   (hub v0.8.13 `packages/server-analysis-manager/src/components/master-images/commands/
///   synchronize/helper.ts` and `validators/image.ts`; v0.14.0 `apps/server-core-worker/src/app/
///   components/master-image-synchronizer/handlers/execute/module.ts`).
///
/// The emulator cannot download anything, so the catalogue below is that scan of
/// PrivateAIM/master-images `master` at e1c2554 (2026-08-21).
enum CoreSeed {
    struct ImageGroup {
        /// Virtual path (`python/conda`).
        let path: String
        let name: String
    }

    struct Image {
        /// Virtual path (`python/conda/fed-gwas`).
        let path: String
        let command: String
        let arguments: [String]
    }

    static let imageGroups: [ImageGroup] = [
        ImageGroup(path: "python", name: "Python"), ImageGroup(path: "python/conda", name: "Conda"),
        ImageGroup(path: "python/test", name: "Python"), ImageGroup(path: "python/use-cases", name: "Python"),
        ImageGroup(path: "r", name: "R"),
    ]

    static let images: [Image] = {
        func python(_ paths: [String]) -> [Image] {
            paths.map { Image(path: $0, command: "python", arguments: ["-u"]) }
        }
        var images = python(["python/base"])
        // The conda group sets only `command`, so its images keep the python group's `-u`.
        images.append(Image(path: "python/conda/base", command: "conda", arguments: ["-u"]))
        for environment in ["ppgwas", "use-case-1"] {
            let folder = environment == "ppgwas" ? "fed-gwas" : environment
            images.append(
                Image(
                    path: "python/conda/\(folder)", command: "conda",
                    arguments: ["run", "-n", environment, "--no-capture-output", "python"]))
        }
        images += python(["python/genomics", "python/ml", "python/pytorch", "python/synth", "python/tensorflow"])
        let tests = ["canary", "component-failure-test", "proxy", "sdk-test", "slow-start-test"]
        images += python(tests.map { "python/test/\($0)" })
        images += python(["python/torch_vision"])
        let useCases = [
            "bpr", "duplicates", "eqtl", "fedstats", "gemtex", "nnunet-liver", "ood", "pp-auc", "record-linkage",
            "reportstats", "use-case-1",
        ]
        images += python(useCases.map { "python/use-cases/\($0)" })
        images.append(Image(path: "r/ml", command: "Rscript", arguments: []))
        return images
    }()

    /// A fresh core: the synchronized master images, and the switches that computed columns
    /// (rendered without a request context) need, kept as a row of the internal flags table.
    static func seed(into store: inout Store, generation: HubGeneration, configuration: HubEmulator.Configuration) {
        synchronizeMasterImages(generation, store: &store)
        if configuration.switches.skipAnalysisApproval {
            store.save(CoreTable.flags, ["id": .string(skipAnalysisApprovalFlag)])
        }
    }

    private static let skipAnalysisApprovalFlag = "SKIP_ANALYSIS_APPROVAL"

    /// Whether the emulator runs with `SKIP_ANALYSIS_APPROVAL`.
    static func skipsAnalysisApproval(_ store: Store) -> Bool {
        store.find(CoreTable.flags, id: skipAnalysisApprovalFlag) != nil
    }

    /// The stored `path`: Hub 0.8.13's analysis manager scans the repository's `data` folder
    /// (`MASTER_IMAGES_DATA_DIRECTORY_PATH`), the core worker of 0.8.35+ the whole checkout, so
    /// its paths start with `data/` while virtual paths stay the same.
    static func storedPath(_ virtualPath: String, _ generation: HubGeneration) -> String {
        switch generation {
        case .legacy: virtualPath
        case .transitional, .current: "data/\(virtualPath)"
        }
    }

    /// Makes the tables equal to the catalogue, as the Hub's synchronizer does: missing rows are
    /// created, existing ones (matched by virtual path) updated, others deleted (hub v0.8.13
    /// `packages/server-core/src/services/master-image/synchronizer/module.ts`).
    static func synchronizeMasterImages(_ generation: HubGeneration, store: inout Store) {
        let groupPaths = Set(imageGroups.map(\.path))
        store.deleteAll(CoreTable.masterImageGroups) { !groupPaths.contains($0["virtualPath"]?.stringValue ?? "") }
        for group in imageGroups {
            let values: EmulatorJSONObject = [
                "name": .string(group.name), "path": .string(storedPath(group.path, generation)),
                "virtualPath": .string(group.path),
            ]
            upsert(CoreTable.masterImageGroups, virtualPath: group.path, values, generation, store: &store)
        }
        let imagePaths = Set(images.map(\.path))
        store.deleteAll(CoreTable.masterImages) { !imagePaths.contains($0["virtualPath"]?.stringValue ?? "") }
        for image in images {
            let parts = image.path.split(separator: "/")
            let values: EmulatorJSONObject = [
                "name": .string(String(parts.last ?? "")), "path": .string(storedPath(image.path, generation)),
                "virtualPath": .string(image.path),
                "groupVirtualPath": .string(parts.dropLast().joined(separator: "/")),
                "command": .string(image.command),
                "commandArguments": .array(image.arguments.map { .object(["value": .string($0)]) }),
            ]
            upsert(CoreTable.masterImages, virtualPath: image.path, values, generation, store: &store)
        }
    }

    private static func upsert(
        _ table: String, virtualPath: String, _ values: EmulatorJSONObject, _ generation: HubGeneration,
        store: inout Store
    ) {
        guard var existing = store.first(table, where: "virtualPath", equals: .string(virtualPath)) else {
            CoreDeclarations.insert(table, values, generation, into: &store)
            return
        }
        let merged = existing.merging(values) { $1 }
        guard merged != existing else { return }
        existing = merged
        existing["updatedAt"] = .string(Support.timestamp())
        store.save(table, existing)
    }
}
