@testable import FlameHub
import FlameHubTesting
#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif
import Testing

/// A body with one rule of each kind.
private struct WireRuledProbe: Encodable, WireRuled {
    var plain: String?
    var renamed: Patch<Int?> = .unset
    var newOnly: Bool?
    var oldOnly: Patch<Bool> = .unset
    var nested: [CommandArgument]?

    // Rules are keyed by the type's `CodingKeys`, so a misspelt field does not compile:
    // `.renamd: .named(...)` fails with "type 'WireRuledProbe.CodingKeys' has no member 'renamd'" (the
    // string tables these rules replace compiled such a typo and then did nothing).
    static let wireRules: WireRules = WireRules(
        CodingKeys.self,
        [.renamed: .named([.legacy: "oldName"]), .newOnly: .only([.current]), .oldOnly: .only([.legacy])])
}

@Suite("Wire rules: one statement per type, for encoding and decoding")
struct WireRulesTests {
    func encoded(_ body: some Encodable, _ dialect: HubDialect) throws -> String {
        String(
            decoding: try HubCoding.encodeBody(body, generation: dialect.generation, casing: dialect.keyCasing),
            as: UTF8.self)
    }

    @Test func fieldsAreWrittenUnderTheirGenerationsNames() throws {
        let probe = WireRuledProbe(plain: "p", renamed: .set(1), nested: [CommandArgument("-x", position: .before)])
        #expect(
            try encoded(probe, .legacy) == #"{"nested":[{"position":"before","value":"-x"}],"old_name":1,"plain":"p"}"#)
        #expect(
            try encoded(probe, .current) == #"{"nested":[{"position":"before","value":"-x"}],"plain":"p","renamed":1}"#)
        // Casing and generation are independent (a coming generation pairs snake_case with clients).
        let snakeCurrent = HubDialect(
            generation: .current, keyCasing: .snakeCase, envelopesRecords: false, filterGrammar: .rapiq2)
        #expect(try encoded(WireRuledProbe(renamed: .set(2), newOnly: true), snakeCurrent) == #"{"new_only":true,"renamed":2}"#)
    }

    @Test func setNilIsNullWhileUnsetAndNilStayAbsent() throws {
        #expect(try encoded(WireRuledProbe(renamed: .set(nil)), .legacy) == #"{"old_name":null}"#)
        #expect(try encoded(WireRuledProbe(renamed: .set(nil)), .current) == #"{"renamed":null}"#)
        // A field of the other generation that is not set is not an error.
        #expect(try encoded(WireRuledProbe(), .legacy) == "{}")
        #expect(try encoded(WireRuledProbe(oldOnly: .set(false)), .legacy) == #"{"old_only":false}"#)
    }

    @Test func aFieldTheServersGenerationLacksThrowsNamingTypeFieldAndGenerations() throws {
        let newOnLegacy = #expect(throws: HubClientError.self) {
            try encoded(WireRuledProbe(plain: "p", newOnly: false), .legacy)
        }
        #expect(newOnLegacy?.code == .unsupportedByServer)
        #expect(newOnLegacy?.message == "WireRuledProbe.newOnly only exists on current Hubs; this server is legacy")
        let oldOnCurrent = #expect(throws: HubClientError.self) { try encoded(WireRuledProbe(oldOnly: .set(true)), .current) }
        #expect(oldOnCurrent?.message == "WireRuledProbe.oldOnly only exists on legacy Hubs; this server is current")
    }

    @Test func rulesNameSetsOfGenerations() {
        let everywhere = WireRule.only(Set(HubGeneration.allCases), names: [.legacy: "old"])
        #expect(everywhere.name(of: "field", in: .legacy) == "old")
        #expect(everywhere.name(of: "field", in: .current) == "field")
        #expect(WireRule.only([.legacy]).name(of: "field", in: .current) == nil)
        #expect(WireRule.named([:]).name(of: "field", in: .legacy) == "field")
    }

    @Test func onlyAmbiguousRulesMakeDecodingRecogniseTheGeneration() throws {
        for rules in [Analysis.wireRules, AnalysisNode.wireRules, AnalysisBucket.wireRules, WireRuledProbe.wireRules] {
            #expect(rules.markers.isEmpty)
        }
        // Legacy `bucket_id` is the analysis bucket, current `bucketId` the storage bucket.
        let markers = AnalysisBucketFile.wireRules.markers
        #expect(markers.map(\.generation) == [.current, .legacy])
        #expect(markers.first?.names == ["path", "bucketFileId", "analysisBucketId", "analysisBucket"])
        #expect(markers.last?.names == ["name", "externalId", "bucket"])
    }

    @Test func bodiesTakeTheirModelsRulesForTheFieldsTheyHave() {
        let create = CreateAnalysisBucketFile.wireRules
        #expect(create.entry(for: "path")?.rule == .named([.legacy: "name"]))
        #expect(create.entry(for: "bucketId")?.rule == .only([.transitional, .current]))
        #expect(create.entry(for: "analysisBucket") == nil)
        #expect(UpdateAnalysisBucketFile.wireRules.entry(for: "bucketFileId") == nil)
        #expect(UpdateAnalysisNode.wireRules.entry(for: "index")?.rule == .only([.legacy]))
        #expect(CreateNode.wireRules.entry(for: "robotId")?.rule == .only([.legacy]))
    }

    @Test func aTypeWithoutRulesEncodesAsBefore() throws {
        let body = CreateRealm(name: "r", displayName: nil, description: "d")
        #expect(try encoded(body, .legacy) == #"{"description":"d","name":"r"}"#)
        let user = UpdateUser(firstName: .set("Ada"), nameLocked: .set(true))
        #expect(try encoded(user, .legacy) == #"{"first_name":"Ada","name_locked":true}"#)
        #expect(try encoded(user, .current) == #"{"firstName":"Ada","nameLocked":true}"#)
    }
}

/// Both generations' payloads of the models with renamed fields, through the SDK's decoder and
/// through `JSONDecoder` (snake_case keys converted by its own strategy).
@Suite("Wire rules: decoding renamed fields")
struct WireRulesDecodingTests {
    let time = CoreFixture.time
    let analysisID = CoreFixture.analysisID
    let nodeID = CoreFixture.nodeID

    /// `json` decoded by ``HubJSON`` and by `JSONDecoder`.
    func decoded<T: HubModel>(_ type: T.Type, _ json: String) throws -> [T] {
        let reference = JSONDecoder()
        reference.dateDecodingStrategy = .custom { decoder in
            let text = try decoder.singleValueContainer().decode(String.self)
            return try Date(text, strategy: .iso8601.year().month().day().time(includingFractionalSeconds: true))
        }
        if json.contains("created_at") { reference.keyDecodingStrategy = .convertFromSnakeCase }
        return [
            try HubJSON.decodeRecord(T.self, from: Array(json.utf8)),
            try reference.decode(T.self, from: Data(json.utf8)),
        ]
    }

    @Test func analysisExecutionStatusWasRunStatus() throws {
        for analysis in try decoded(Analysis.self, CoreFixture.analysisLegacy(runStatus: "failed")) {
            #expect(analysis.executionStatus == .failed)
            #expect(analysis.buildStatus == .finished)
        }
        for analysis in try decoded(Analysis.self, CoreFixture.analysisCurrent()) {
            #expect(analysis.executionStatus == .executed)
            #expect(analysis.executionProgress == 100)
        }
    }

    @Test func analysisNodesAndTheirEmbeddedAnalyses() throws {
        let legacy = """
            {"id":"\(nodeID)","approval_status":"approved","run_status":"started","index":0,\
            "analysis_id":"\(analysisID)","node_id":"\(nodeID)","analysis":\(CoreFixture.analysisLegacy()),\
            "created_at":"\(time)","updated_at":"\(time)"}
            """
        let current = """
            {"id":"\(nodeID)","approvalStatus":null,"executionStatus":"executing","executionProgress":50,\
            "analysisId":"\(analysisID)","nodeId":"\(nodeID)","analysis":\(CoreFixture.analysisCurrent()),\
            "createdAt":"\(time)","updatedAt":"\(time)"}
            """
        for node in try decoded(AnalysisNode.self, legacy) {
            #expect(node.executionStatus == .started)
            #expect(node.index == 0)
            #expect(node.approvalStatus == .approved)
            #expect(node.analysis?.executionStatus == .running)
        }
        for node in try decoded(AnalysisNode.self, current) {
            #expect(node.executionStatus == .executing)
            #expect(node.executionProgress == 50)
            #expect(node.analysis?.executionStatus == .executed)
        }
    }

    @Test func analysisBucketsBucketIdWasExternalId() throws {
        let bucket = CoreFixture.bucketID
        let legacy = """
            {"id":"\(nodeID)","type":"CODE","external_id":"\(bucket)","analysis_id":"\(analysisID)",\
            "realm_id":null,"created_at":"\(time)","updated_at":"\(time)"}
            """
        let current = """
            {"id":"\(nodeID)","type":"RESULT","bucketId":"\(bucket)","analysisId":"\(analysisID)",\
            "realmId":null,"createdAt":"\(time)","updatedAt":"\(time)"}
            """
        for decodedBucket in try decoded(AnalysisBucket.self, legacy) + decoded(AnalysisBucket.self, current) {
            #expect(decodedBucket.bucketId?.uuidString.lowercased() == bucket)
        }
        #expect(try decoded(AnalysisBucket.self, current).map(\.type) == [.result, .result])
    }

    @Test func analysisBucketFilesTellTheGenerationsApart() throws {
        let storageBucket = CoreFixture.bucketID
        let analysisBucket = CoreFixture.projectID
        let file = CoreFixture.fileID
        let legacy = """
            {"id":"\(file)","name":"src/main.py","root":true,"external_id":"\(file)",\
            "bucket_id":"\(analysisBucket)","analysis_id":"\(analysisID)","robot_id":null,\
            "bucket":{"id":"\(analysisBucket)","type":"CODE","external_id":"\(storageBucket)",\
            "analysis_id":"\(analysisID)","created_at":"\(time)","updated_at":"\(time)"},\
            "created_at":"\(time)","updated_at":"\(time)"}
            """
        let current = """
            {"id":"\(file)","path":"src/main.py","root":true,"bucketId":"\(storageBucket)",\
            "bucketFileId":"\(file)","analysisBucketId":"\(analysisBucket)","analysisId":"\(analysisID)",\
            "analysisBucket":{"id":"\(analysisBucket)","type":"CODE","bucketId":"\(storageBucket)",\
            "analysisId":"\(analysisID)","createdAt":"\(time)","updatedAt":"\(time)"},\
            "createdAt":"\(time)","updatedAt":"\(time)"}
            """
        let legacyFiles = try decoded(AnalysisBucketFile.self, legacy)
        let currentFiles = try decoded(AnalysisBucketFile.self, current)
        for decodedFile in legacyFiles + currentFiles {
            #expect(decodedFile.path == "src/main.py")
            #expect(decodedFile.bucketFileId?.uuidString.lowercased() == file)
            #expect(decodedFile.analysisBucketId?.uuidString.lowercased() == analysisBucket)
            #expect(decodedFile.analysisBucket?.bucketId?.uuidString.lowercased() == storageBucket)
        }
        // Legacy `bucket_id` is the analysis bucket, never the storage bucket.
        #expect(legacyFiles.map(\.bucketId) == [nil, nil])
        #expect(currentFiles.allSatisfy { $0.bucketId?.uuidString.lowercased() == storageBucket })
    }

    @Test func aMissingRequiredFieldIsNamedInThePayloadsGeneration() throws {
        let legacy = """
            {"id":"\(CoreFixture.fileID)","external_id":"\(CoreFixture.fileID)","created_at":"\(time)",\
            "updated_at":"\(time)"}
            """
        let error = #expect(throws: HubDecodingError.self) {
            try HubJSON.decodeRecord(AnalysisBucketFile.self, from: Array(legacy.utf8))
        }
        #expect(error?.keyPath == "name")
        let current = #"{"id":"\#(CoreFixture.fileID)","createdAt":"\#(time)","updatedAt":"\#(time)"}"#
        let currentError = #expect(throws: HubDecodingError.self) {
            try HubJSON.decodeRecord(AnalysisBucketFile.self, from: Array(current.utf8))
        }
        #expect(currentError?.keyPath == "path")
    }
}
