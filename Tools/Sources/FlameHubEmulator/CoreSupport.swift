import FlameHub

/// Table names of the core and storage services.
enum CoreTable {
    static let registries = "core/registries"
    static let registryProjects = "core/registry-projects"
    static let nodes = "core/nodes"
    static let masterImageGroups = "core/master-image-groups"
    static let masterImages = "core/master-images"
    static let masterImageEventLogs = "core/master-image-event-logs"
    static let projects = "core/projects"
    static let projectNodes = "core/project-nodes"
    static let analyses = "core/analyses"
    static let analysisLogs = "core/analysis-logs"
    static let analysisNodes = "core/analysis-nodes"
    static let analysisNodeLogs = "core/analysis-node-logs"
    static let analysisBuckets = "core/analysis-buckets"
    static let analysisBucketFiles = "core/analysis-bucket-files"
    /// Emulator bookkeeping (a running master-image sync), never served.
    static let flags = "core/_flags"
    static let buckets = "storage/buckets"
    static let bucketFiles = "storage/bucket-files"
}

/// Hub-side rules shared by the core and storage declarations: realm ownership, creator
/// columns, slug names and the Hub's domain errors in each generation's vocabulary.
enum HubRules {
    /// Master-realm identities write everything; others only their own realm.
    static func canWrite(realm: EmulatorJSON?, _ identity: Identity?) -> Bool {
        guard let identity else { return false }
        return identity.isMaster || realm?.stringValue == identity.realmId
    }

    /// Hub 0.8.13's realm-scoped reads: a row is visible when the caller may write one of the
    /// realm columns `keys` (0.8.34+ shows every row to every authenticated identity).
    static func realmScoped(_ keys: [String]) -> @Sendable (EmulatorJSONObject, Identity?) -> Bool {
        { record, identity in keys.contains { canWrite(realm: record[$0], identity) } }
    }

    /// 403 raised by Hub-side checks (realm, ownership), not by the permission evaluator.
    static func forbidden(_ message: String, _ generation: HubGeneration) -> EmulatorError {
        EmulatorError(
            .explicit(status: 403, code: generation == .legacy ? "FORBIDDEN" : "permission_denied", message: message))
    }

    /// 400 domain rule violation; `code` is the current generation's code (`ANALYSIS_ERROR` …).
    static func rule(_ message: String, _ generation: HubGeneration, code: String = "bad_request") -> EmulatorError {
        EmulatorError(.explicit(status: 400, code: generation == .legacy ? "BAD_REQUEST" : code, message: message))
    }

    /// 404 with a specific text (legacy messages are empty like every legacy 404).
    static func notFound(_ message: String, _ generation: HubGeneration) -> EmulatorError {
        EmulatorError(
            .explicit(
                status: 404, code: generation == .legacy ? "NOT_FOUND" : "entity_not_found",
                message: generation == .legacy ? "" : message))
    }

    /// Throws the realm 403 unless the caller may write `realm`.
    static func requireWrite(realm: EmulatorJSON?, _ context: HookContext, _ message: String) throws {
        if !canWrite(realm: realm, context.identity) { throw forbidden(message, context.generation) }
    }

    /// `userId` / `robotId` / `clientId` of the creator (the others stay `null`).
    static func creator(_ identity: Identity?, kinds: [IdentityKind]) -> EmulatorJSONObject {
        var columns = EmulatorJSONObject()
        for kind in kinds {
            columns["\(kind.rawValue)Id"] = identity?.kind == kind ? identity.map { .string($0.id) } ?? .null : .null
        }
        return columns
    }

    static let adjectives = ["brave", "calm", "eager", "gentle", "happy", "jolly", "kind", "lively", "proud", "witty"]
    static let nouns = ["badger", "falcon", "otter", "panda", "lynx", "heron", "koala", "raven", "tiger", "whale"]

    /// `<adjective>-<noun>-<6 hex>`, the Hub's generated project/analysis name.
    static func generatedName() -> String {
        let adjective = adjectives.randomElement() ?? "brave"
        let noun = nouns.randomElement() ?? "otter"
        return "\(adjective)-\(noun)-\(randomHex(6))"
    }

    /// Current slug rule of project and analysis names: trimmed, lower-cased (the field does
    /// that), empty → generated, else 3–128 characters of `[a-z0-9-_.]`.
    static func slugName(_ record: inout EmulatorJSONObject, creating: Bool) throws {
        let value = record["name"]?.stringValue
        if creating, value?.isEmpty ?? true {
            record["name"] = .string(generatedName())
            return
        }
        guard let name = value else {
            throw EmulatorError.validation([
                ValidationIssue(field: "name", code: "value_invalid", message: "Invalid input")
            ])
        }
        if !(3...128).contains(name.count) {
            throw EmulatorError.validation([
                ValidationIssue(
                    field: "name", code: name.count < 3 ? "min_length" : "max_length",
                    message: "The name must be between 3 and 128 characters long.")
            ])
        }
        if !Field.Pattern.lowerName.test(name) {
            throw EmulatorError.validation([
                ValidationIssue(field: "name", code: "custom", message: "The name contains invalid characters.")
            ])
        }
    }

    /// Random lower-case hex digits.
    static func randomHex(_ count: Int) -> String {
        let digits = Array("0123456789abcdef")
        var generator = SystemRandomNumberGenerator()
        return String((0..<count).map { _ in digits[Int(generator.next(upperBound: UInt(16)))] })
    }

    static func isHex(_ text: String) -> Bool {
        !text.isEmpty && text.count.isMultiple(of: 2) && text.allSatisfy(\.isHexDigit)
    }

    /// The hex encoding of the UTF-8 bytes unless `text` already is hex (node public keys).
    static func hexEncoded(_ text: String) -> String {
        if isHex(text) { return text }
        let digits = Array("0123456789abcdef")
        var output = ""
        output.reserveCapacity(text.utf8.count * 2)
        for byte in text.utf8 {
            output.append(digits[Int(byte >> 4)])
            output.append(digits[Int(byte & 0x0f)])
        }
        return output
    }

    /// `https://harbor.example.org:443/path` → `harbor.example.org` (registry hosts are bare
    /// hostnames); values without a scheme are kept.
    static func normalizedHost(_ host: String) -> String {
        let lowered = host.lowercased()
        guard let scheme = ["http://", "https://"].first(where: { lowered.hasPrefix($0) }) else { return host }
        var rest = host.dropFirst(scheme.count)
        if let slash = rest.firstIndex(where: { $0 == "/" || $0 == "?" || $0 == "#" }) { rest = rest[..<slash] }
        if let at = rest.lastIndex(of: "@") { rest = rest[rest.index(after: at)...] }
        if rest.hasPrefix("["), let close = rest.firstIndex(of: "]") {
            return String(rest[...close])
        }
        if let colon = rest.firstIndex(of: ":") { rest = rest[..<colon] }
        return String(rest)
    }
}

/// The machine identities the Hub creates in authup for nodes (and analyses): a robot named by
/// the node id (legacy) or a `secret` client (current), with the Hub's permissions.
enum HubIdentities {
    /// Permissions of a node robot (Hub 0.8) and of a node client (current).
    static let legacyNodePermissions = ["analysis_approve", "analysis_update", "project_approve"]
    static let currentNodePermissions = ["analysis_update"]

    /// Creates the client or robot; returns its id.
    static func provision(
        name: String, displayName: String?, realmId: EmulatorJSON, permissions: [String], generation: HubGeneration,
        store: inout Store
    ) -> String {
        let permissionIDs = permissions.compactMap { name in
            store.first(AuthTable.permissions, where: "name", equals: .string(name))?["id"]
        }
        switch generation {
        case .legacy:
            let robot = store.insert(
                AuthDeclarations.robots(),
                [
                    "name": .string(name), "active": true, "realmId": realmId,
                    "secret": .string(SecretHash.make(Support.randomAlphanumeric(64))),
                ])
            let robotID = robot["id"] ?? .null
            if let junction = AuthDeclarations.junctionDefinitions(.legacy)[AuthTable.robotPermissions] {
                for permission in permissionIDs {
                    store.insert(junction, ["robotId": robotID, "permissionId": permission])
                }
            }
            return robotID.stringValue ?? ""
        case .transitional, .current:
            let client = store.insert(
                AuthDeclarations.clients(generation),
                [
                    "name": .string(name), "displayName": displayName.map(EmulatorJSON.string) ?? .string(name),
                    "active": true, "authMethod": "secret", "secret": .string(Support.randomAlphanumeric(64)),
                    "secretHashed": false, "realmId": realmId,
                ])
            let clientID = client["id"] ?? .null
            if let junction = AuthDeclarations.junctionDefinitions(generation)[AuthTable.clientPermissions] {
                for permission in permissionIDs {
                    store.insert(junction, ["clientId": clientID, "permissionId": permission])
                }
            }
            return clientID.stringValue ?? ""
        }
    }

    /// Removes a provisioned client or robot and its bindings.
    static func remove(id: EmulatorJSON?, generation: HubGeneration, store: inout Store) {
        guard let id = id?.stringValue else { return }
        switch generation {
        case .legacy:
            store.delete(AuthTable.robots, id: id)
            store.deleteAll(AuthTable.robotPermissions) { $0["robotId"]?.stringValue == id }
            store.deleteAll(AuthTable.robotRoles) { $0["robotId"]?.stringValue == id }
        case .transitional, .current:
            store.delete(AuthTable.clients, id: id)
            store.deleteAll(AuthTable.clientPermissions) { $0["clientId"]?.stringValue == id }
            store.deleteAll(AuthTable.clientRoles) { $0["clientId"]?.stringValue == id }
        }
    }
}
