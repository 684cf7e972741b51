import FlameHub
import FlameHubEmulator
#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif
import Testing

/// Create, read, update and delete of every `AuthClient` resource the generation has.
@Suite("AuthClient CRUD against the emulator")
struct AuthCRUDTests {
    @Test(arguments: HubGeneration.allCases)
    func everyResource(generation: HubGeneration) async throws {
        let hub = try await HubEmulator.start(generation: generation)
        do {
            try await exercise(hub, generation)
        } catch {
            await hub.stop()
            throw error
        }
        await hub.stop()
    }

    func exercise(_ hub: HubEmulator, _ generation: HubGeneration) async throws {
        let url = hub.authURL.absoluteString
        let client = AuthClient(
            baseURL: url, auth: PasswordAuth(username: "admin", password: "start123", baseURL: url))
        // Clients, their junctions and assignment updates: every generation after the robots.
        let current = !generation.hasRobots

        let realm = try await client.realms.create(CreateRealm(name: "crud-realm"))
        let permission = try await client.permissions.create(
            CreatePermission(name: "crud_permission", description: "made by a test", realmId: nil))
        #expect(permission.realmId == nil)
        let renamed = try await client.permissions.update(permission, UpdatePermission(displayName: "CRUD"))
        #expect(renamed.displayName == "CRUD")
        let role = try await client.roles.create(CreateRole(name: "crud-role"))
        #expect(try await client.roles.update(role, UpdateRole(description: "a role")).description == "a role")
        let user = try await client.users.create(
            CreateUser(
                name: "crud-user", email: "crud@example.com", password: "a-long-password", realmId: AnyResourceID(realm)
            ))
        #expect(user.realmId == realm.id)
        #expect(try await client.users.update(user, UpdateUser(firstName: "Ada")).firstName == "Ada")

        let rolePermission = try await client.rolePermissions.create(CreateRolePermission(role, permission: permission))
        let fetchedRolePermission = try #require(
            try await client.rolePermissions.find(filter: ["roleId": .equals(role.id)]).first)
        #expect(fetchedRolePermission.id == rolePermission.id)
        #expect(fetchedRolePermission.permission?.name == "crud_permission")
        let userPermission = try await client.userPermissions.create(CreateUserPermission(user, permission: permission))
        let userRole = try await client.userRoles.create(CreateUserRole(user, role: role))
        #expect(try await client.userRoles.get(userRole)?.roleId == role.id)
        if current {
            let changed = try await client.userPermissions.update(
                userPermission, UpdatePermissionAssignment(realmScope: .set(.ownOrNull)))
            #expect(changed.realmScope == .ownOrNull)
        }

        let machine = try await client.clients.create(
            CreateClient(
                name: "crud-client", active: true, authMethod: .secret, secret: "crud-secret-value",
                realmId: AnyResourceID(realm)))
        #expect(try await client.clients.update(machine, UpdateClient(description: "machine")).description == "machine")
        // authup beta.26 has client junctions too, but the emulator serves them for current only.
        if current {
            let clientPermission = try await client.clientPermissions.create(
                CreateClientPermission(machine, permission: permission))
            let clientRole = try await client.clientRoles.create(CreateClientRole(machine, role: role))
            let roles = try await client.clientRoles.find(filter: ["clientId": .equals(machine.id)])
            #expect(roles.map(\.id) == [clientRole.id])
            try await client.clientPermissions.delete(clientPermission)
            try await client.clientRoles.delete(clientRole)
        }

        if !current {
            let robot = try await client.robots.create(CreateRobot(name: "crud-robot", realmId: AnyResourceID(realm)))
            #expect(robot.secret?.revealed.count == 64)
            #expect(try await client.robots.update(robot, UpdateRobot(displayName: "Robot")).displayName == "Robot")
            let robotPermission = try await client.robotPermissions.create(
                CreateRobotPermission(robot, permission: permission))
            let robotRole = try await client.robotRoles.create(CreateRobotRole(robot, role: role))
            #expect(try await client.robotRoles.get(robotRole)?.robotId == robot.id)
            try await client.robotPermissions.delete(robotPermission)
            try await client.robotRoles.delete(robotRole)
            try await client.robots.delete(robot)
            #expect(try await client.robots.get(robot) == nil)
        } else {
            await #expect(throws: HubClientError.self) { try await client.robots.list() }
        }

        try await client.clients.delete(machine)
        try await client.userRoles.delete(userRole)
        try await client.userPermissions.delete(userPermission)
        try await client.rolePermissions.delete(rolePermission)
        #expect(try await client.rolePermissions.get(rolePermission) == nil)
        try await client.users.delete(user)
        try await client.roles.delete(role)
        try await client.permissions.delete(permission)
        try await client.realms.delete(realm)
        #expect(try await client.realms.get(realm) == nil)
    }
}
