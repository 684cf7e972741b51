import FlameHub
import FlameHubTesting
#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// Fixtures of the core and storage tests.
enum CoreFixture {
    static let coreBase = "http://hub.test/core/"
    static let analysisID = "6f1c9a36-8a43-4a52-9a0f-0f2e8d2b9c11"
    static let nodeID = "2f8fc7df-d5ff-484c-bfed-76b8f3c43afd"
    static let projectID = "0b8d4a52-51b3-4f4b-8f35-8e1c7d1c2a77"
    static let bucketID = "d1f4a0b2-3c5e-4f60-8a7b-9c0d1e2f3a4b"
    static let fileID = "a7e3c1d9-2b4f-4a6c-8e0d-1f2a3b4c5d6e"
    static let time = "2025-05-19T15:43:57.859Z"

    static func core(_ mock: MockTransport, _ dialect: HubDialect) -> CoreClient {
        CoreClient(
            context: HubContext(
                baseURL: coreBase, service: .core, auth: StaticAuth("t"), transport: mock, dialect: dialect))
    }

    static let emptyList = #"{"data":[],"meta":{"total":0,"limit":50,"offset":0}}"#

    static func analysisLegacy(runStatus: String = "running") -> String {
        """
        {"id":"\(analysisID)","name":"a1","description":null,"nodes":1,"configuration_locked":false,\
        "build_status":"finished","run_status":"\(runStatus)","image_command_arguments":null,"registry_id":null,\
        "realm_id":"\(Fixture.realmID)","user_id":"\(Fixture.userID)","project_id":"\(projectID)",\
        "master_image_id":null,"created_at":"\(time)","updated_at":"\(time)"}
        """
    }

    static func analysisCurrent(buildStatus: String = "starting") -> String {
        """
        {"id":"\(analysisID)","name":"brave-otter-1a2b3c","displayName":null,"description":null,"nodes":1,\
        "nodesApproved":1,"configurationLocked":true,"buildNodesValid":true,"buildStatus":"\(buildStatus)",\
        "buildProgress":null,"buildSize":1234567890123,"executionStatus":"executed","executionProgress":100,\
        "imageCommandArguments":[{"value":"--verbose","position":"after"},{"value":"-x"}],\
        "projectId":"\(projectID)","realmId":"\(Fixture.realmID)","userId":"\(Fixture.userID)",\
        "clientId":null,"masterImageId":null,"registryId":null,"createdAt":"\(time)","updatedAt":"\(time)"}
        """
    }

    static func enveloped(_ record: String, meta: String = "{}") -> String {
        #"{"data":\#(record),"meta":\#(meta)}"#
    }
}
