import FlameHub

/// `GET /policies/:id/expanded` and `POST /policies/:id/check` (every generation; below
/// `/realms/:realmId/` too from beta.53), after `controllers/entities/policy/module.ts` at
/// v1.0.0-beta.63 and beta.56 and `http/controllers/entities/policy/handlers/{read,check}.ts`
/// at v1.0.0-beta.26.
enum AuthPolicyRoutes {
    static func routes(_ generation: HubGeneration) -> [Route] {
        var routes = [
            Route([.get], "/policies/:id/expanded") { context in try expanded(context) },
            Route([.post], "/policies/:id/check", access: .authenticated) { context in try check(context) },
        ]
        switch generation {
        case .legacy: break
        case .transitional, .current:
            routes += [
                Route([.get], "/realms/:realmId/policies/:id/expanded") { context in try expanded(context) },
                Route([.post], "/realms/:realmId/policies/:id/check", access: .authenticated) { context in
                    try check(context)
                },
            ]
        }
        return routes
    }

    /// The policy as `GET /policies/:id` answers it; beta.26 adds its descendants as `children`
    /// (`findDescendantsTree`), later releases ignore `expanded`.
    static func expanded(_ context: HandlerContext) throws -> EmulatorResponse {
        let resource = AuthEntityDeclarations.policies(context.generation)
        var scoped = context
        scoped.realmScope = try realm(context)
        let response = try context.core.engine.read(resource, id: context.parameters["id"] ?? "", context: scoped)
        switch context.generation {
        case .transitional, .current: return response
        case .legacy:
            guard case .json(let record) = response.body else { return response }
            var expanded = response
            expanded.body = .json(try withChildren(record, resource, scoped))
            return expanded
        }
    }

    static func withChildren(_ record: EmulatorJSON, _ resource: ResourceDefinition, _ context: HandlerContext) throws
        -> EmulatorJSON
    {
        guard case .object(var object) = record, let id = record["id"]?.stringValue else { return record }
        let childIDs = context.state.withStore { store in
            store.rows(AuthTable.policies) { $0["parentId"]?.stringValue == id }.compactMap { $0["id"]?.stringValue }
        }
        var children: [EmulatorJSON] = []
        for childID in childIDs {
            guard case .json(let child) = try context.core.engine.read(resource, id: childID, context: context).body
            else { continue }
            children.append(try withChildren(child, resource, context))
        }
        object["children"] = .array(children)
        return .object(object)
    }

    /// The realm of a realm-scoped route (id or name), `nil` outside one.
    static func realm(_ context: HandlerContext) throws -> String? {
        guard let reference = context.parameters["realmId"] else { return nil }
        let id = context.state.withStore { store in
            (store.find(AuthTable.realms, id: reference)
                ?? store.first(AuthTable.realms, where: "name", equals: .string(reference.lowercased())))?["id"]?
                .stringValue
        }
        guard let id else { throw EmulatorError.notFound("realm") }
        return id
    }

    /// Evaluates the policy on the body's `PolicyData`; 202 with `{status: success}` or
    /// `{status: error, data}` as authup answers. The emulator evaluates `composite`,
    /// `attributeNames`, `identity`, `permissionBinding`, `date` and `time` (without the day
    /// settings); any other type answers authup's `policy_evaluator_not_processable`.
    static func check(_ context: HandlerContext) throws -> EmulatorResponse {
        guard let identity = context.identity else { throw EmulatorError(.unauthorized) }
        let id = context.parameters["id"] ?? ""
        let realm = try realm(context) ?? identity.realmId
        let data = try context.bodyObject()
        let (policy, all) = context.state.withStore { store in
            let all = store.all(AuthTable.policies)
            let policy =
                Support.isUUID(id)
                ? store.find(AuthTable.policies, id: id)
                : all.first {
                    $0["name"]?.stringValue?.lowercased() == id.lowercased()
                        && [realm, nil].contains($0["realmId"]?.stringValue)
                }
            return (policy, all)
        }
        guard let policy else { throw EmulatorError.notFound("policy") }
        let now = Support.timestamp()
        switch evaluate(policy, all: all, data: data, identity: identity, now: now) {
        case true?: return .json(["status": "success"], status: 202)
        case false?:
            return refusal("policy_evaluation_denied", "The policy \(policy["name"]?.stringValue ?? id) denied access.")
        case nil:
            return refusal("policy_evaluator_not_processable", "The evaluator can not process the policy.")
        }
    }

    static func refusal(_ code: String, _ message: String) -> EmulatorResponse {
        .json(["status": "error", "data": ["code": .string(code), "message": .string(message)]], status: 202)
    }

    /// `true` granted, `false` denied, `nil` not processable by the emulator; `invert` flips.
    static func evaluate(
        _ policy: EmulatorJSONObject, all: [EmulatorJSONObject], data: EmulatorJSONObject, identity: Identity,
        now: String
    ) -> Bool? {
        let outcome: Bool?
        switch policy["type"]?.stringValue {
        case "composite":
            let id = policy["id"]?.stringValue
            let results = all.filter { $0["parentId"]?.stringValue == id }.map {
                evaluate($0, all: all, data: data, identity: identity, now: now)
            }
            if results.contains(where: { $0 == nil }) {
                outcome = nil
            } else {
                let granted = results.filter { $0 == true }.count
                switch policy["decisionStrategy"]?.stringValue ?? "unanimous" {
                case "affirmative": outcome = granted > 0
                case "consensus": outcome = granted > results.count - granted
                default: outcome = granted == results.count
                }
            }
        case "attributeNames":
            let allowed = Set(policy["names"]?.arrayValue?.compactMap(\.stringValue) ?? [])
            let names =
                data["attributeNames"]?.arrayValue?.compactMap(\.stringValue)
                ?? data["attributes"]?.objectValue.map { Array($0.keys) }
            outcome = names.map { Set($0).isSubset(of: allowed) } ?? false
        case "identity":
            let kind = data["identity"]?["type"]?.stringValue ?? identity.kind.rawValue
            let types = policy["types"]?.arrayValue?.compactMap(\.stringValue) ?? []
            outcome = types.isEmpty || types.contains(kind)
        case "permissionBinding":
            outcome = true
        case "date":
            let start = policy["start"]?.stringValue
            let end = policy["end"]?.stringValue
            // ISO timestamps order as strings; a bare date covers its whole day.
            outcome = start.map { now >= $0 } ?? true && end.map { String(now.prefix($0.count)) <= $0 } ?? true
        case "time":
            let clock = String(now.dropFirst(11).prefix(5))
            let start = policy["start"]?.stringValue
            let end = policy["end"]?.stringValue
            outcome = start.map { clock >= $0 } ?? true && end.map { clock <= $0 } ?? true
        default:
            outcome = nil
        }
        return outcome.map { policy["invert"] == true ? !$0 : $0 }
    }
}
