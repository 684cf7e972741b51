/// Hub core (`/core/`). Phase 1 mounts the service with its status route; resources are
/// declared in later phases with ``ResourceDefinition``s.
enum CoreService: ServiceModule {
    static func definition(generation: Generation, configuration: HubEmulator.Configuration) -> ServiceDefinition {
        ServiceDefinition(
            name: "core", errorFormat: .hub(generation), routes: [HubStatus.route(generation)], resources: [])
    }

    static func seed(into store: inout Store, generation: Generation, configuration: HubEmulator.Configuration) {}
}

/// Hub storage (`/storage/`). Phase 1 mounts the service with its status route.
enum StorageService: ServiceModule {
    static func definition(generation: Generation, configuration: HubEmulator.Configuration) -> ServiceDefinition {
        ServiceDefinition(
            name: "storage", errorFormat: .hub(generation), routes: [HubStatus.route(generation)], resources: [])
    }

    static func seed(into store: inout Store, generation: Generation, configuration: HubEmulator.Configuration) {}
}

/// `GET /` of core and storage: flat `{version, timestamp}` (ms since epoch), no auth.
enum HubStatus {
    static func route(_ generation: Generation) -> Route {
        Route([.get], "/") { _ in
            .json(["version": .string(generation.hubVersion), "timestamp": .int(Int(Support.now() * 1000))])
        }
    }
}
