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
