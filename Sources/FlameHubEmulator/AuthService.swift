/// authup (`/auth/`).
enum AuthService: ServiceModule {
    static func definition(generation: Generation, configuration: HubEmulator.Configuration) -> ServiceDefinition {
        ServiceDefinition(
            name: "auth", errorFormat: .authup(generation), routes: [], resources: [],
            defaultPageLimit: generation == .legacy ? nil : 50)
    }

    static func seed(into store: inout Store, generation: Generation, configuration: HubEmulator.Configuration) {}
}
