#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

extension CoreClient {
    private struct PermissionBody: Encodable {
        var permissionId: AnyResourceID
    }

    private func clientPermissionsPath(_ analysis: some ResourceIdentifier) throws -> String {
        "analyses/\(try analysis.resourceID().lowercasedString)/client/permissions"
    }

    /// The permissions of analysis `analysis`'s OAuth2 client, each with its permission embedded
    /// (`GET /analyses/:id/client/permissions`, current generation).
    public func getAnalysisClientPermissions(_ analysis: some ResourceIdentifier) async throws
        -> ResourceList<ClientPermission>
    {
        let path = try clientPermissionsPath(analysis)
        let dialect = try await context.dialect(for: "/\(path)", in: Self.withClients)
        let bytes = try await context.call(.get, path, dialect: dialect)
        return try context.decode(ResourceList<ClientPermission>.self, bytes, .get, path)
    }

    /// Grants `permission` (only `analysis_self_storage_use` and `analysis_self_message_broker_use`
    /// are allowed) to analysis `analysis`'s client (`POST /analyses/:id/client/permissions`, 201,
    /// current generation; the analysis must not be locked).
    @discardableResult
    public func addAnalysisClientPermission(_ analysis: some ResourceIdentifier, permission: some ResourceIdentifier)
        async throws -> ClientPermission
    {
        let path = try clientPermissionsPath(analysis)
        let body = PermissionBody(permissionId: AnyResourceID(permission))
        _ = try body.permissionId.uuid()
        let dialect = try await context.dialect(for: "/\(path)", in: Self.withClients)
        let bytes = try await context.call(.post, path, body: body, dialect: dialect)
        return try context.decode(RecordBody<ClientPermission>.self, bytes, .post, path).record
    }

    /// Withdraws `permission` from analysis `analysis`'s client
    /// (`DELETE /analyses/:id/client/permissions/:permissionId`, 202, current generation).
    public func removeAnalysisClientPermission(
        _ analysis: some ResourceIdentifier, permission: some ResourceIdentifier
    ) async throws {
        let path = try clientPermissionsPath(analysis) + "/" + (try permission.resourceID().lowercasedString)
        let dialect = try await context.dialect(for: "/\(path)", in: Self.withClients)
        _ = try await context.call(.delete, path, dialect: dialect)
    }
}
