import ArgumentParser
import FlameHub

// authup's token endpoints beyond log-in: introspection, revocation, userinfo and the key and
// discovery documents. A token to inspect is read from a file or standard input, never from the
// command line, where other users of the machine could read it.

/// `flamehub token …`.
struct TokenGroup: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "token",
        abstract: "authup's token endpoints: introspect, revoke, userinfo, jwks, openid-configuration.",
        subcommands: [
            TokenIntrospectCommand.self, TokenRevokeCommand.self, TokenUserInfoCommand.self, TokenJWKSCommand.self,
            TokenOpenIDConfigurationCommand.self,
        ])
}

/// The token a command inspects: the first line of a file, `-` for standard input.
struct InspectedToken: ParsableArguments {
    @Option(name: .customLong("of"), help: "A file holding the token to inspect (first line); - reads standard input.")
    var path: String = "-"

    func read() throws -> String { try Settings.readSecret(path, what: "token") }
}

/// `flamehub token introspect --of FILE`: whether a token is active, and its claims.
struct TokenIntrospectCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "introspect", abstract: "Show whether a token is active, and its claims (RFC 7662).")

    @OptionGroup var token: InspectedToken
    @OptionGroup var global: GlobalOptions

    func run() async throws {
        let inspected = try token.read()
        try await Session.run(global) { session in
            let introspection = try await session.authClient.introspect(inspected)
            var object = introspection.claims
            object["active"] = .bool(introspection.active)
            if let reason = introspection.inactiveReason { object["inactiveReason"] = .string(reason) }
            try session.output.record(object)
        }
    }
}

/// `flamehub token revoke --of FILE`.
struct TokenRevokeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "revoke", abstract: "Revoke a token (RFC 7009); a token that is already dead counts as revoked.")

    @OptionGroup var token: InspectedToken
    @OptionGroup var global: GlobalOptions

    func run() async throws {
        let revoked = try token.read()
        try await Session.run(global) { session in
            try await session.authClient.revoke(revoked)
            try session.output.done("revoked the token", json: ["revoked": .bool(true)])
        }
    }
}

/// `flamehub token userinfo`: the signed-in identity's user.
struct TokenUserInfoCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "userinfo", abstract: "Show the signed-in user (OpenID userinfo; users/@me before authup beta.57)."
    )

    @OptionGroup var global: GlobalOptions

    func run() async throws {
        try await Session.run(global) { session in try session.output.record(try await session.authClient.userInfo()) }
    }
}

/// `flamehub token jwks [--realm NAME]`.
struct TokenJWKSCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "jwks", abstract: "Show the public keys that verify the Hub's tokens (JWKS).")

    @Option(help: "A realm's key set instead of the default one.") var realm: String?
    @OptionGroup var global: GlobalOptions

    func run() async throws {
        try await Session.run(global) { session in
            try session.output.record(try await session.authClient.jwks(realm: realm))
        }
    }
}

/// `flamehub token openid-configuration [--realm NAME]`.
struct TokenOpenIDConfigurationCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "openid-configuration", abstract: "Show the OpenID discovery document.")

    @Option(help: "A realm's document instead of the default one.") var realm: String?
    @OptionGroup var global: GlobalOptions

    func run() async throws {
        try await Session.run(global) { session in
            try session.output.record(try await session.authClient.openIDConfiguration(realm: realm))
        }
    }
}
