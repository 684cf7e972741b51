#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif
import HTTPTypes

extension CoreClient {
    /// Generations whose Hub has the credential, analysis-permission and build routes (0.12.3+:
    /// `apps/server-core/src/adapters/http/controllers/entities` at `v0.12.7`).
    static let withClients: Set<HubGeneration> = [.transitional, .current]
    private static let everyGeneration = Set(HubGeneration.allCases)

    private struct CommandBody: Encodable {
        var command: String
        var id: AnyResourceID?
        var secret: SecretString?
    }

    /// `<collection>/<id>/<rest>`; shared with the credential routes.
    func idPath(_ collection: String, _ id: some ResourceIdentifier, _ rest: String) throws -> String {
        "\(collection)/\(try id.resourceID().lowercasedString)/\(rest)"
    }

    /// Re-imports master images and groups from the configured repository
    /// (`POST /master-images/command {"command": "sync"}`); the images appear asynchronously.
    public func syncMasterImages() async throws {
        let dialect = try await context.dialect(for: "the master image sync", in: Self.everyGeneration)
        _ = try await context.call(.post, "master-images/command", body: CommandBody(command: "sync"), dialect: dialect)
    }

    /// Starts building master image `id` (`POST /master-images/command {"command": "build"}`,
    /// current generation) and returns the image with its new `buildStatus`.
    public func buildMasterImage(_ id: some ResourceIdentifier) async throws -> MasterImage? {
        let image = AnyResourceID(id)
        _ = try image.uuid()
        let dialect = try await context.dialect(for: "the master image build command", in: Self.withClients)
        let path = "master-images/command"
        let bytes = try await context.call(
            .post, path, body: CommandBody(command: "build", id: image), dialect: dialect)
        return try context.decode(DataBody<MasterImage>.self, bytes, .post, path).data
    }

    /// Sends `command` to analysis `id` (`POST /analyses/:id/command`) and returns the analysis.
    ///
    /// ```swift
    /// try await core.sendAnalysisCommand(analysis, .configurationLock)
    /// let started = try await core.sendAnalysisCommand(analysis, .buildStart)  // buildStatus == .starting
    /// ```
    /// - Throws: ``HubClientError`` (``HubClientError/Code/unsupportedByServer``) before sending
    ///   when the connected generation lacks `command` (see ``AnalysisCommand/all(for:)``).
    @discardableResult
    public func sendAnalysisCommand(_ id: some ResourceIdentifier, _ command: AnalysisCommand) async throws
        -> Analysis
    {
        let path = try idPath("analyses", id, "command")
        let dialect = try await context.dialect(
            for: "the analysis command '\(command.rawValue)'", in: command.generations)
        let bytes = try await context.call(.post, path, body: CommandBody(command: command.rawValue), dialect: dialect)
        return try context.decode(RecordBody<Analysis>.self, bytes, .post, path).record
    }

    /// Sends `command` to the registry service (`POST /services/registry/command`).
    ///
    /// - Parameters:
    ///   - command: the command to send.
    ///   - id: a registry (``RegistryCommand/setup``, ``RegistryCommand/cleanup``,
    ///     ``RegistryCommand/delete``) or registry project (``RegistryCommand/projectLink``,
    ///     ``RegistryCommand/projectUnlink``).
    ///   - secret: the registry account secret, where the command needs one.
    public func sendRegistryCommand(
        _ command: RegistryCommand, id: some ResourceIdentifier, secret: SecretString? = nil
    )
        async throws
    {
        let target = AnyResourceID(id)
        _ = try target.uuid()
        let dialect = try await context.dialect(for: "the registry command", in: Self.everyGeneration)
        _ = try await context.call(
            .post, "services/registry/command",
            body: CommandBody(command: command.rawValue, id: target, secret: secret),
            dialect: dialect)
    }
}

/// `{data: <record or null>, meta: {}}`.
struct DataBody<Record: Decodable>: Decodable {
    var data: Record?
}
