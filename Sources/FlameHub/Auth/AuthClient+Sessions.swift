#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif
import HTTPTypes

extension AuthClient {
    private struct DeletedCount: Decodable { var count: Int }

    /// Ends many sessions at once (`DELETE /sessions`, authup ≥ 1.0.0-beta.52) and returns how
    /// many ended; their tokens die with them.
    ///
    /// With a filter on `id`, `sub`, `subKind`, `userId`, `clientId` or `realmId` this is an
    /// administrator's forced log-out (needs `session_delete`); without one authup ends the
    /// caller's *other* sessions and keeps the current one
    /// (`core/entities/session/service.ts` at `v1.0.0-beta.63`).
    public func endSessions(filter: Filter = [:]) async throws -> Int {
        let dialect = try await context.dialect(
            for: "bulk session deletion", in: AuthResources.Sessions.generations)
        return try await deleteMany("sessions", filter: filter, dialect: dialect)
    }

    /// Revokes the session tokens matching `filter` (`DELETE /session-tokens`, authup ≥
    /// 1.0.0-beta.60), e.g. `["clientId": .equals(id)]` to sign out of one application while the
    /// session stays; returns how many were revoked.
    ///
    /// authup refuses (400) a filter without an equality on `id`, `sessionId` or `clientId`, so
    /// that a typo cannot revoke every token.
    public func revokeSessionTokens(filter: Filter) async throws -> Int {
        let dialect = try await context.dialect(
            for: "session tokens", in: AuthResources.SessionTokens.generations)
        return try await deleteMany("session-tokens", filter: filter, dialect: dialect)
    }

    /// Asks whether the caller holds permission `permission` (its id, or its name in the
    /// caller's realm) under the policies attached to it (`POST /permissions/:id/check`).
    ///
    /// - Parameters:
    ///   - permission: the permission's id or name.
    ///   - data: the policy input (`identity`, `attributes`, …) as authup's `PolicyData`;
    ///     without `attributes` only the policies that need none are evaluated.
    /// - Returns: authup's `{status, data}` answer (202 on every release); a refusal is not an
    ///   error but ``PermissionCheckResult/granted`` `false`.
    public func checkPermission(_ permission: String, data: [String: JSONValue] = [:]) async throws
        -> PermissionCheckResult
    {
        let dialect = try await context.dialect()
        let path = "permissions/\(Self.segment(permission))/check"
        let bytes = try await context.call(.post, path, body: data, dialect: dialect)
        return try context.decode(PermissionCheckResult.self, bytes, .post, path)
    }

    private func deleteMany(_ path: String, filter: Filter, dialect: HubDialect) async throws -> Int {
        let query = try ResourceQuery(filter: filter).render(for: dialect)
        let (_, bytes) = try await context.send(.delete, path: path, query: query)
        return try context.decode(DeletedCount.self, bytes, .delete, path).count
    }
}
