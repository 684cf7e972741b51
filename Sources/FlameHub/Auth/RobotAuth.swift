/// Logs in a robot with the `robot_credentials` grant (legacy Hubs, authup < 1.0.0-beta.54),
/// again shortly before the token expires (robots get no refresh token).
public final class RobotAuth: GrantAuthentication, SessionGrant {
    /// The robot's id (or name).
    public let robotId: String
    let session: TokenSession

    /// Authenticates as robot `robotId` with `secret` at the authup instance at `baseURL`.
    public init(
        robotId: String, secret: String, baseURL: String = AuthClient.defaultBaseURL,
        transport: (any HTTPTransport)? = nil
    ) {
        self.robotId = robotId
        session = TokenSession(
            baseURL: baseURL, login: [("grant_type", "robot_credentials"), ("id", robotId), ("secret", secret)],
            transport: transport)
    }

    public var description: String {
        "RobotAuth(robotId: \(robotId), secret: \(Redaction.placeholder), token URL: \(session.tokenURL))"
    }
}
