import FlameHub

/// Hub core (`/core/`): the resources of ``CoreDeclarations`` and ``CoreAnalyses`` on the generic
/// engine plus the hand-written routes of ``CoreRoutes``; seeded with the master images a fresh
/// Hub has after its start-up sync.
enum CoreService: ServiceModule {
    static func definition(generation: HubGeneration, configuration: HubEmulator.Configuration) -> ServiceDefinition {
        ServiceDefinition(
            name: "core", errorFormat: .hub(generation), routes: CoreRoutes.all(generation),
            resources: CoreDeclarations.all(generation))
    }

    static func seed(into store: inout Store, generation: HubGeneration, configuration: HubEmulator.Configuration) {
        CoreSeed.seed(into: &store, generation: generation, configuration: configuration)
    }
}

/// `GET /` of core and storage: flat `{version, timestamp}` (ms since epoch), no auth.
enum HubStatus {
    static func route(_ generation: HubGeneration) -> Route {
        Route([.get], "/") { _ in
            .json(["version": .string(generation.hubVersion), "timestamp": .int(Int(Support.now() * 1000))])
        }
    }
}
