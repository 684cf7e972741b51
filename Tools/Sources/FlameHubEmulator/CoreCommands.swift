/// `POST /analyses/:id/command` with each generation's command set and preconditions
/// (hub-core-storage-api.md 5.8.1 and 10.3), plus the asynchronous build/distribution effects.
enum CoreCommands {
    static let currentCommands = [
        "configurationLock", "configurationUnlock", "buildStart", "buildCheck", "distributionStart",
        "distributionCheck", "storageCheck",
    ]
    static let legacyCommands = [
        "spinUp", "tearDown", "buildStart", "buildStop", "buildStatus", "configurationLock", "configurationUnlock",
    ]

    static func analysisCommand(_ context: HandlerContext) throws -> EmulatorResponse {
        let generation = context.generation
        let legacy = generation == .legacy
        let command = try context.bodyObject()["command"]?.stringValue ?? ""
        guard (legacy ? legacyCommands : currentCommands).contains(command) else {
            throw HubRules.rule("Invalid command.", generation)
        }
        let id = context.parameters["id"] ?? ""
        let hookContext = context.hookContext()
        let rendered = try context.state.withStore { store -> EmulatorJSON in
            guard var analysis = store.find(CoreTable.analyses, id: id) else {
                throw EmulatorError.notFound("analysis")
            }
            try HubRules.requireWrite(
                realm: analysis["realmId"], hookContext, "You are not permitted to execute commands on this analysis.")
            if legacy {
                try legacyCommand(command, analysis: &analysis, store: &store, context: hookContext)
            } else {
                try currentCommand(command, analysis: &analysis, store: &store, context: hookContext)
            }
            analysis["updatedAt"] = .string(Support.timestamp())
            store.save(CoreTable.analyses, analysis)
            return try CoreRoutes.renderWrite(analysis, CoreTable.analyses, context, store: store)
        }
        return CoreRoutes.writeResponse(rendered, generation)
    }

    // MARK: Current

    static func currentCommand(
        _ command: String, analysis: inout EmulatorJSONObject, store: inout Store, context: HookContext
    ) throws {
        func fail(_ message: String) -> EmulatorError { HubRules.rule(message, .current, code: "ANALYSIS_ERROR") }
        var flags = analysis
        CoreAnalyses.computeFlags(&flags, store: store, generation: .current)
        let locked = analysis["configurationLocked"] == true
        let build = analysis["buildStatus"]?.stringValue
        let id = analysis["id"] ?? .null
        switch command {
        case "configurationLock":
            if locked { throw fail("The analysis configuration is locked.") }
            if build != nil { throw fail("The analysis build process has already been initialized.") }
            if flags["configurationNodeDefaultValid"] != true {
                throw fail("At least one default node must be selected.")
            }
            if flags["configurationNodeAggregatorValid"] != true {
                throw fail("An aggregator node node must be selected.")
            }
            if flags["configurationEntrypointValid"] != true { throw fail("An entrypoint must be selected.") }
            if flags["configurationImageValid"] != true {
                throw fail("A master image must be assigned to the analysis.")
            }
            analysis["configurationLocked"] = true
        case "configurationUnlock":
            try unlock(&analysis, fail)
            // Approvals are reset (aggregators included, as the Hub does not load the node there),
            // kept with SKIP_ANALYSIS_APPROVAL (hub v0.14.0 core/services/analysis-configurator/module.ts).
            for var assignment in store.rows(CoreTable.analysisNodes, where: { $0["analysisId"] == id })
            where !context.configuration.switches.skipAnalysisApproval {
                assignment["approvalStatus"] = .null
                store.save(CoreTable.analysisNodes, assignment)
            }
        case "buildStart":
            if !locked { throw fail("The analysis configuration is not locked.") }
            if flags["buildNodesValid"] != true { throw fail("All assigned nodes have to approve the analysis.") }
            if let build, !["failed", "stopped"].contains(build) {
                throw fail("The analysis build can not be started.")
            }
            analysis["buildStatus"] = "starting"
            analysis["buildProgress"] = .null
            scheduleBuild(id, context: context)
        case "buildCheck":
            if !locked { throw fail("The analysis configuration is not locked.") }
            if build == nil { throw fail("The analysis build process has not been initialized.") }
        case "distributionStart":
            if build != "executed" { throw fail("The analysis is not built yet.") }
            if let status = analysis["distributionStatus"]?.stringValue, !["failed", "stopped"].contains(status) {
                throw fail("The analysis distribution can not be started.")
            }
            if analysis["registryId"]?.isNull ?? true, store.all(CoreTable.registries).isEmpty {
                throw fail("No docker registry is defined.")
            }
            for assignment in store.rows(CoreTable.analysisNodes, where: { $0["analysisId"] == id }) {
                let node = assignment["nodeId"]?.stringValue.flatMap { store.find(CoreTable.nodes, id: $0) }
                if node?["registryId"]?.isNull ?? true {
                    throw fail("The node \(node?["name"]?.stringValue ?? "") is not assigned to a registry yet.")
                }
            }
            analysis["distributionStatus"] = "starting"
            analysis["distributionProgress"] = .null
            scheduleTransition(
                id, status: "distributionStatus", progress: "distributionProgress", from: "starting", to: "executed",
                context: context)
        case "distributionCheck":
            if build != "executed" { throw fail("The analysis is not built yet.") }
            if analysis["distributionStatus"]?.isNull ?? true {
                throw fail("The analysis distribution process has not been initialized.")
            }
        default:  // storageCheck
            if let analysisID = id.stringValue {
                CoreAnalyses.scheduleBuckets(
                    analysisID: analysisID, realm: analysis["realmId"] ?? .null, context: context)
            }
        }
    }

    /// `configurationUnlock` (both generations): only before or after a finished/failed build.
    static func unlock(_ analysis: inout EmulatorJSONObject, _ fail: (String) -> EmulatorError) throws {
        if analysis["configurationLocked"] != true { throw fail("The analysis configuration is already unlocked.") }
        if let build = analysis["buildStatus"]?.stringValue, !["failed", "stopped", "stopping"].contains(build) {
            throw fail("The analysis configuration can not be unlocked.")
        }
        analysis["configurationLocked"] = false
        analysis["buildStatus"] = .null
    }

    /// `buildStart`: the worker builds, the status moves to `executed` and log lines appear.
    static func scheduleBuild(_ id: EmulatorJSON, context: HookContext) {
        scheduleTransition(
            id, status: "buildStatus", progress: "buildProgress", from: "starting", to: "executed", context: context
        ) {
            analysis, store in
            analysis["buildHash"] = .string("sha256:" + HubRules.randomHex(64))
            analysis["buildOs"] = "linux"
            analysis["buildSize"] = .int(Int.random(in: 50_000_000...400_000_000))
            for message in ["The analysis build process has been started.", "The analysis has been built."] {
                TelemetryLogs.append(
                    CoreTable.analysisLogs, level: "info", message: message, channel: "background",
                    service: "hub-server-core-worker",
                    labels: [
                        "refType": "analysis", "refId": analysis["id"] ?? .null, "analysisId": analysis["id"] ?? .null,
                    ], store: &store)
            }
        }
    }

    /// Moves `status` from `from` to `to` (and `progress` to 100) after the effect delay, unless
    /// something else changed the status meanwhile.
    static func scheduleTransition(
        _ id: EmulatorJSON, status: String, progress: String? = nil, from: String, to: String, context: HookContext,
        extra: (@Sendable (inout EmulatorJSONObject, inout Store) -> Void)? = nil
    ) {
        guard let analysisID = id.stringValue else { return }
        context.scheduler.schedule { store in
            guard var analysis = store.find(CoreTable.analyses, id: analysisID), analysis[status] == .string(from)
            else { return }
            analysis[status] = .string(to)
            if let progress { analysis[progress] = 100 }
            analysis["updatedAt"] = .string(Support.timestamp())
            extra?(&analysis, &store)
            store.save(CoreTable.analyses, analysis)
        }
    }

    // MARK: Legacy

    static func legacyCommand(
        _ command: String, analysis: inout EmulatorJSONObject, store: inout Store, context: HookContext
    ) throws {
        func fail(_ message: String) -> EmulatorError { HubRules.rule(message, .legacy) }
        let locked = analysis["configurationLocked"] == true
        let build = analysis["buildStatus"]?.stringValue
        let id = analysis["id"] ?? .null
        switch command {
        case "configurationLock":
            if locked { throw fail("The analysis configuration is already locked.") }
            if store.rows(CoreTable.analysisNodes, where: { $0["analysisId"] == id }).isEmpty {
                throw fail("At least one node must be assigned to the analysis.")
            }
            let codeBuckets = Set(
                store.rows(CoreTable.analysisBuckets) { $0["analysisId"] == id && $0["type"] == "CODE" }.compactMap {
                    $0["id"]
                })
            if store.rows(
                CoreTable.analysisBucketFiles,
                where: {
                    $0["root"] == true && codeBuckets.contains($0["bucketId"] ?? .null)
                }
            ).isEmpty {
                throw fail("An entrypoint must be selected.")
            }
            if analysis["masterImageId"]?.isNull ?? true {
                throw fail("A master image must be assigned to the analysis.")
            }
            analysis["configurationLocked"] = true
        case "configurationUnlock":
            try unlock(&analysis, fail)
            // 0.8.13 resets the approvals of non-aggregator nodes, unless SKIP_ANALYSIS_APPROVAL
            // (hub v0.8.13 packages/server-core/src/domains/analysis/commands/configuration-unlock.ts).
            for var assignment in store.rows(CoreTable.analysisNodes, where: { $0["analysisId"] == id })
            where !context.configuration.switches.skipAnalysisApproval {
                let node = assignment["nodeId"]?.stringValue.flatMap { store.find(CoreTable.nodes, id: $0) }
                guard node?["type"] != "aggregator" else { continue }
                assignment["approvalStatus"] = .null
                store.save(CoreTable.analysisNodes, assignment)
            }
        case "buildStart":
            if !locked { throw fail("The analysis configuration is not locked.") }
            if let build, !["failed", "stopped"].contains(build) {
                throw fail("The analysis build process has already been started.")
            }
            analysis["buildStatus"] = "starting"
            scheduleTransition(id, status: "buildStatus", from: "starting", to: "finished", context: context) {
                current, store in
                CoreAnalyses.log(analysis: current, command: "buildStart", status: "finished", store: &store)
            }
        case "buildStop":
            guard let build, ["starting", "started"].contains(build) else {
                throw fail("The analysis build process has not been started.")
            }
            analysis["buildStatus"] = "stopping"
            scheduleTransition(id, status: "buildStatus", from: "stopping", to: "stopped", context: context)
        case "buildStatus":
            // core-kit domains/analysis/helpers.ts `isAnalysisAPICommandExecutable` (BUILD_STATUS)
            // at v0.8.13 decides; domains/analysis/commands/build-status.ts then queues the
            // builder's CHECK, whose `checking` event aggregators/analysis-manager/builder/handler.ts
            // logs as an analysis log of the `builder` component.
            if !locked { throw fail("The analysis configuration must be locked before checking the build status.") }
            guard let build else { throw fail("The analysis build process has not been initialized.") }
            if build == "finished" { throw fail("The analysis build process has already been successfully completed.") }
            if let analysisID = id.stringValue {
                context.scheduler.schedule { store in
                    guard let current = store.find(CoreTable.analyses, id: analysisID) else { return }
                    CoreAnalyses.log(
                        analysis: current, component: "builder", command: nil, event: "checking", status: nil,
                        store: &store)
                }
            }
        case "spinUp":
            if let analysisID = id.stringValue {
                CoreAnalyses.scheduleBuckets(
                    analysisID: analysisID, realm: analysis["realmId"] ?? .null, context: context)
            }
        default:  // tearDown: acknowledged, logged
            break
        }
        CoreAnalyses.log(
            analysis: analysis, command: command, status: analysis["buildStatus"]?.stringValue, store: &store)
    }
}
