import FlameHub
import FlameHubEmulator
import Testing

/// The emulated telemetry service on the wire: its permissions, the `/logs` query rules and the
/// generations that mount it (`apps/server-telemetry` at `v0.12.7` and `v0.14.0`).
@Suite struct TelemetryServiceTests {
    @Test(arguments: [HubGeneration.transitional, .current])
    func logsAndEventsNeedTheirPermissions(generation: HubGeneration) async throws {
        try await CoreSession.start(generation) { hub in
            try await hub.create("/auth/users", ["name": "eve", "password": "eve-password-1", "email": "e@x.org"])
            let login = try await hub.hub.post(
                "/auth/token", ["grant_type": "password", "username": "eve", "password": "eve-password-1"])
            let token = try #require(login.object["access_token"]?.stringValue, "\(login.text)")
            let line: EmulatorJSON = ["message": "hello", "level": "info", "service": "probe", "channel": "http"]
            let write = try await hub.hub.post("/telemetry/logs", line, token: token)
            #expect(write.status == 400)
            #expect(write.object["message"] == "The evaluation of permissions log_create failed")
            let read = try await hub.hub.get("/telemetry/logs?filter[refType]=node", token: token)
            #expect(read.object["message"] == "The evaluation of permissions log_read failed")
            let events = try await hub.hub.get("/telemetry/events", token: token)
            #expect(events.object["message"] == "The evaluation of permissions event_read failed")

            // The admin has them; a dotted filter key names the label after its dot.
            #expect(try await hub.hub.post("/telemetry/logs", line, token: hub.token).status == 201)
            let labelled: EmulatorJSON = [
                "message": "labelled", "level": "info", "service": "probe", "channel": "http",
                "labels": ["refType": "node"],
            ]
            #expect(try await hub.hub.post("/telemetry/logs", labelled, token: hub.token).status == 201)
            let found = try await hub.get("/telemetry/logs?filter[labels.refType]=node")
            #expect(found.rows.map { $0["message"] } == ["labelled"])
            #expect(found.object["meta"]?["schema"] == nil)
            let badTime = try await hub.delete("/telemetry/logs?filter[refType]=node&filter[time]=soon")
            #expect(badTime.status == 400)
            #expect(badTime.object["message"] == "Filter time must be a finite unix timestamp.")
        }
    }

    @Test func legacyHubsMountNoTelemetry() async throws {
        try await CoreSession.start(.legacy) { hub in
            let status = try await hub.hub.get("/telemetry/")
            let events = try await hub.get("/telemetry/events")
            #expect(status.status == 404)
            #expect(events.status == 404)
        }
    }
}
