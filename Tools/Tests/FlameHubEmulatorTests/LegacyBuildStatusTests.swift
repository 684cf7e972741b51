import FlameHub
import FlameHubEmulator
import Testing

/// Hub 0.8.13's `buildStatus` command: core-kit domains/analysis/helpers.ts decides whether it
/// runs; domains/analysis/commands/build-status.ts queues the builder's CHECK, and the builder's
/// `checking` event becomes an analysis log (aggregators/analysis-manager/builder/handler.ts).
@Suite("Emulator: the legacy buildStatus command")
struct LegacyBuildStatusTests {
    @Test func buildStatusChecksAndLogsTheBuildersEvent() async throws {
        // Effects wait a second, so the build is still `starting` when buildStatus arrives.
        try await CoreSession.start(.legacy, configuration: HubEmulator.Configuration(asyncEffectDelay: .seconds(1))) {
            hub in
            let fixture = try await CoreAnalysisTests.fixture(hub)
            let id = hub.id(fixture.analysis)
            func buildStatus() async throws -> RawResponse {
                try await hub.post("/core/analyses/\(id)/command", ["command": "buildStatus"])
            }
            let unlocked = try await buildStatus()
            #expect(unlocked.status == 400)
            #expect(
                unlocked.object["message"]
                    == "The analysis configuration must be locked before checking the build status.")

            let entry = try await CoreAnalysisTests.uploadEntrypoint(hub, analysisID: id)
            #expect(try await hub.post("/core/analysis-bucket-files/\(hub.id(entry))", ["root": true]).status == 202)
            #expect(try await hub.post("/core/analyses/\(id)/command", ["command": "configurationLock"]).status == 202)
            let unbuilt = try await buildStatus()
            #expect(unbuilt.object["message"] == "The analysis build process has not been initialized.")

            #expect(try await hub.post("/core/analyses/\(id)/command", ["command": "buildStart"]).status == 202)
            #expect(try await buildStatus().status == 202)
            let checking = try await hub.eventually { () -> EmulatorJSONObject? in
                try await hub.get("/core/analysis-logs?filter[analysis_id]=\(id)").rows.first {
                    $0["event"] == "checking"
                }
            }
            #expect(checking["component"] == "builder")

            _ = try await hub.eventually { () -> Bool? in
                try await hub.get("/core/analyses/\(id)").object["build_status"] == "finished" ? true : nil
            }
            let finished = try await buildStatus()
            #expect(finished.status == 400)
            #expect(finished.object["message"] == "The analysis build process has already been successfully completed.")
        }
    }
}
