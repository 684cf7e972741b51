extension AuthClient {
    /// The policy with `id` and, on authup 1.0.0-beta.26 (legacy), its descendants in
    /// ``AuthPolicy/children`` (`GET /policies/:id/expanded`); from beta.53 on authup answers the
    /// plain record there (`controllers/entities/policy/module.ts` at `v1.0.0-beta.63` ignores
    /// `expanded`), so read a composite's children with
    /// `policies.find(filter: ["parentId": .equals(id)])`.
    ///
    /// - Returns: `nil` when the server answers 404.
    public func expandedPolicy(_ id: some ResourceIdentifier) async throws -> AuthPolicy? {
        let dialect = try await context.dialect()
        let path = "policies/\(try id.resourceID().lowercasedString)/expanded"
        do {
            let bytes = try await context.call(.get, path, dialect: dialect)
            return try context.decode(RecordBody<AuthPolicy>.self, bytes, .get, path).record
        } catch let error as HubAPIError where error.status == 404 {
            return nil
        }
    }

    /// Evaluates policy `policy` (its id, or its name in the caller's realm) on `data`
    /// (`POST /policies/:id/check`): authup's `PolicyData` with `identity` (the caller's when
    /// left out), `attributes` and so on.
    ///
    /// - Returns: authup's `{status, data}` answer (202 on every release); a failed evaluation
    ///   is not an error but ``PermissionCheckResult/granted`` `false`.
    public func checkPolicy(_ policy: String, data: [String: JSONValue] = [:]) async throws -> PermissionCheckResult {
        let dialect = try await context.dialect()
        let path = "policies/\(Self.segment(policy))/check"
        let bytes = try await context.call(.post, path, body: data, dialect: dialect)
        return try context.decode(PermissionCheckResult.self, bytes, .post, path)
    }
}
