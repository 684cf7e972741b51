#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// A command of `POST /analyses/:id/command`, sent with ``CoreClient/sendAnalysisCommand(_:_:)``.
///
/// Each generation has its own set (``generations``); a command the connected Hub lacks throws
/// before it is sent.
public struct AnalysisCommand: Sendable, Hashable, CustomStringConvertible {
    /// The wire name, e.g. `buildStart`.
    public let rawValue: String
    /// The generations that know the command.
    public let generations: Set<HubGeneration>

    /// A command by wire name (for commands this SDK does not know yet; sent to any generation).
    public init(rawValue: String, generations: Set<HubGeneration> = Set(HubGeneration.allCases)) {
        self.rawValue = rawValue
        self.generations = generations
    }

    public var description: String { rawValue }

    /// `buildStart`: starts building the analysis image (both generations).
    public static let buildStart = Self(rawValue: "buildStart")
    /// `configurationLock`: freezes the configuration (both generations).
    public static let configurationLock = Self(rawValue: "configurationLock")
    /// `configurationUnlock`: unfreezes the configuration (both generations).
    public static let configurationUnlock = Self(rawValue: "configurationUnlock")
    /// `buildCheck`: reconciles the build status (transitional and current
    /// generations: `analysis/constants.ts` at `v0.12.7`).
    public static let buildCheck = Self(rawValue: "buildCheck", generations: [.transitional, .current])
    /// `distributionStart`: pushes the built image to the nodes' registries (transitional and current
    /// generations: `analysis/constants.ts` at `v0.12.7`).
    public static let distributionStart = Self(rawValue: "distributionStart", generations: [.transitional, .current])
    /// `distributionCheck`: reconciles the distribution status (transitional and current
    /// generations: `analysis/constants.ts` at `v0.12.7`).
    public static let distributionCheck = Self(rawValue: "distributionCheck", generations: [.transitional, .current])
    /// `storageCheck`: requests missing CODE/RESULT/TEMP buckets (transitional and current
    /// generations: `analysis/constants.ts` at `v0.12.7`).
    public static let storageCheck = Self(rawValue: "storageCheck", generations: [.transitional, .current])
    /// `spinUp` (legacy generation).
    public static let spinUp = Self(rawValue: "spinUp", generations: [.legacy])
    /// `tearDown` (legacy generation).
    public static let tearDown = Self(rawValue: "tearDown", generations: [.legacy])
    /// `buildStop` (legacy generation).
    public static let buildStop = Self(rawValue: "buildStop", generations: [.legacy])
    /// `buildStatus` (legacy generation).
    public static let buildStatus = Self(rawValue: "buildStatus", generations: [.legacy])

    /// The commands of `generation`.
    public static func all(for generation: HubGeneration) -> [AnalysisCommand] {
        [
            .buildStart, .buildCheck, .buildStop, .buildStatus, .configurationLock, .configurationUnlock,
            .distributionStart, .distributionCheck, .storageCheck, .spinUp, .tearDown,
        ].filter { $0.generations.contains(generation) }
    }
}

/// A command of `POST /services/registry/command`, sent with
/// ``CoreClient/sendRegistryCommand(_:id:secret:)``.
public struct RegistryCommand: HubStringEnum {
    public let rawValue: String
    public init(rawValue: String) { self.rawValue = rawValue }

    /// `setup`: provisions the registry (its `incoming`, `outgoing`, `masterImages` projects appear later).
    public static let setup = Self(rawValue: "setup")
    /// `cleanup`: removes what `setup` created.
    public static let cleanup = Self(rawValue: "cleanup")
    /// `delete` (current generation).
    public static let delete = Self(rawValue: "delete")
    /// `projectLink`: links a registry project (the id is a registry project's).
    public static let projectLink = Self(rawValue: "projectLink")
    /// `projectUnlink`: unlinks a registry project (the id is a registry project's).
    public static let projectUnlink = Self(rawValue: "projectUnlink")
}

/// The OAuth2 client of a node or analysis (`GET|POST …/client/credentials`, current generation).
public struct ClientCredentials: Codable, Sendable, Hashable {
    /// The client's id (use it with ``ClientAuth``).
    public var id: UUID
    public var name: String?
    public var displayName: String?
    /// After a rotation the plaintext secret; on a read what authup returns (possibly nil or hashed).
    public var secret: SecretString?
}

/// The registry account of a node (`GET /nodes/:id/registry/credentials`, current generation).
public struct RegistryCredentials: Codable, Sendable, Hashable {
    public var host: String
    public var externalName: String?
    public var accountName: String?
    public var accountSecret: SecretString?
}

/// A Harbor webhook as the Hub accepts it at `POST /services/registry/hook`
/// (``CoreClient/sendRegistryHook(_:)``). Its keys are Harbor's snake_case in every generation
/// (`apps/server-core/src/app/components/registry/handlers/hook-processor/types.ts` at `v0.14.0`).
public struct RegistryHook: Codable, Sendable, Hashable {
    /// The Harbor event type, e.g. `PUSH_ARTIFACT`.
    public var type: String
    /// When the event happened (Harbor sends a unix timestamp or a date string).
    public var occurAt: String?
    /// The Harbor user, 3–128 characters.
    public var `operator`: String
    public var eventData: EventData

    /// The hook's `event_data`.
    public struct EventData: Codable, Sendable, Hashable {
        public var repository: Repository
        public var resources: [Resource]

        public init(repository: Repository, resources: [Resource]) {
            self.repository = repository
            self.resources = resources
        }

        private enum CodingKeys: String, CodingKey {
            case repository, resources
        }
    }

    /// The repository an event is about.
    public struct Repository: Codable, Sendable, Hashable {
        /// 3–128 characters.
        public var name: String
        /// `<namespace>/<name>`, 3–256 characters.
        public var repoFullName: String
        /// The Harbor project, 3–128 characters.
        public var namespace: String
        public var dateCreated: String?

        public init(name: String, repoFullName: String, namespace: String, dateCreated: String? = nil) {
            self.name = name
            self.repoFullName = repoFullName
            self.namespace = namespace
            self.dateCreated = dateCreated
        }

        private enum CodingKeys: String, CodingKey {
            case name, namespace
            case repoFullName = "repo_full_name"
            case dateCreated = "date_created"
        }
    }

    /// An artifact an event is about.
    public struct Resource: Codable, Sendable, Hashable {
        public var digest: String
        /// 1–100 characters.
        public var tag: String
        public var resourceUrl: String

        public init(digest: String, tag: String, resourceUrl: String) {
            self.digest = digest
            self.tag = tag
            self.resourceUrl = resourceUrl
        }

        private enum CodingKeys: String, CodingKey {
            case digest, tag
            case resourceUrl = "resource_url"
        }
    }

    public init(type: String, occurAt: String? = nil, operator: String, eventData: EventData) {
        self.type = type
        self.occurAt = occurAt
        self.operator = `operator`
        self.eventData = eventData
    }

    private enum CodingKeys: String, CodingKey {
        case type
        case occurAt = "occur_at"
        case `operator`
        case eventData = "event_data"
    }
}
