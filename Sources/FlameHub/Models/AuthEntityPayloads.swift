// Create and update bodies of authup's further entities, from the request validators
// (`controllers/entities/*/utils/valid*.ts`, core-kit `domains/*/validator.ts`, beta.63).

/// The body of `POST /scopes`. The name is lower-cased by the server (3–128 characters).
public struct CreateScope: Encodable, Sendable, Hashable {
    public var name: String
    public var displayName: String?
    public var description: String?
    public var realmId: AnyResourceID?

    private init(_ generated: GeneratedMemberwiseInit) { switch generated {} }
}

/// The body of `POST /scopes/:id`.
public struct UpdateScope: Encodable, Sendable, Hashable {
    public var name: Patch<String>
    public var displayName: Patch<String?>
    public var description: Patch<String?>

    private init(_ generated: GeneratedMemberwiseInit) { switch generated {} }
}

/// The body of `POST /client-scopes`: grants scope `scopeId` to client `clientId`.
public struct CreateClientScope: Encodable, Sendable, Hashable {
    public var clientId: AnyResourceID
    public var scopeId: AnyResourceID
    /// Sent as `default`: the scope applies when a token request names none.
    public var isDefault: Bool?

    enum CodingKeys: String, CodingKey {
        case clientId, scopeId
        case isDefault = "default"
    }

    private init(_ generated: GeneratedMemberwiseInit) { switch generated {} }
}

/// The body of `POST /role-attributes` (name 3–255, value 3–512 characters).
public struct CreateRoleAttribute: Encodable, Sendable, Hashable {
    public var name: String
    public var roleId: AnyResourceID
    public var value: String?

    private init(_ generated: GeneratedMemberwiseInit) { switch generated {} }
}

/// The body of `POST /user-attributes`; without `userId` the attribute is the caller's own.
public struct CreateUserAttribute: Encodable, Sendable, Hashable {
    public var name: String
    public var userId: AnyResourceID?
    public var value: String?

    private init(_ generated: GeneratedMemberwiseInit) { switch generated {} }
}

/// The body of `POST /role-attributes/:id` and `POST /user-attributes/:id`.
public struct UpdateAttribute: Encodable, Sendable, Hashable {
    public var name: Patch<String>
    public var value: Patch<String?>

    private init(_ generated: GeneratedMemberwiseInit) { switch generated {} }
}

/// The body of `POST /permission-policies`: attaches policy `policyId` to permission `permissionId`.
public struct CreatePermissionPolicy: Encodable, Sendable, Hashable {
    public var permissionId: AnyResourceID
    public var policyId: AnyResourceID

    private init(_ generated: GeneratedMemberwiseInit) { switch generated {} }
}

/// The body of `POST /identity-provider-role-mappings` (name up to 64, value up to 128
/// characters; `synchronizationMode` `once` or `always`).
public struct CreateIdentityProviderRoleMapping: Encodable, Sendable, Hashable {
    public var providerId: AnyResourceID
    public var roleId: AnyResourceID
    public var name: String?
    public var value: String?
    public var valueIsRegex: Bool?
    public var synchronizationMode: String?

    private init(_ generated: GeneratedMemberwiseInit) { switch generated {} }
}

/// The body of `POST /identity-provider-role-mappings/:id`.
public struct UpdateIdentityProviderRoleMapping: Encodable, Sendable, Hashable {
    public var name: Patch<String?>
    public var value: Patch<String?>
    public var valueIsRegex: Patch<Bool>
    public var synchronizationMode: Patch<String?>

    private init(_ generated: GeneratedMemberwiseInit) { switch generated {} }
}

/// The body of `POST /identity-providers/:id`: the settings every protocol shares.
public struct UpdateIdentityProvider: Encodable, Sendable, Hashable {
    public var name: Patch<String>
    public var displayName: Patch<String?>
    public var enabled: Patch<Bool>

    private init(_ generated: GeneratedMemberwiseInit) { switch generated {} }
}

// Decodable so that a caller (the `flamehub` CLI among them) can build a body from JSON; an
// absent `Patch` field stays unset, an explicit `null` clears.
extension CreateScope: Decodable {}
extension UpdateScope: Decodable {}
extension CreateClientScope: Decodable {}
extension CreateRoleAttribute: Decodable {}
extension CreateUserAttribute: Decodable {}
extension UpdateAttribute: Decodable {}
extension CreatePermissionPolicy: Decodable {}
extension CreateIdentityProviderRoleMapping: Decodable {}
extension UpdateIdentityProviderRoleMapping: Decodable {}
extension UpdateIdentityProvider: Decodable {}
