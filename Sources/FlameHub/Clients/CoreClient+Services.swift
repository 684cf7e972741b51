extension CoreClient {
    /// Hands a Harbor webhook to the Hub (`POST /services/registry/hook`, 202 in every
    /// generation), as the registry does after a push.
    ///
    /// The Hub validates the hook only later, in its registry component: a malformed hook is
    /// accepted and then dropped with a warning in its log (`hook-processor/module.ts` at `v0.14.0`,
    /// `service/handlers/registry/hook.ts` at `v0.8.13`).
    public func sendRegistryHook(_ hook: RegistryHook) async throws {
        // Harbor's own snake_case keys in every generation: encoded without the engine's key casing.
        _ = try await context.send(.post, path: "services/registry/hook", body: try PlainJSON.encode(hook))
    }
}
