import FlameHub
import FlameHubEmulator
#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// An emulator with fast asynchronous effects and admin-authenticated core and storage clients
/// (through the default `CurlTransport`).
struct CoreHub {
    let hub: HubEmulator
    let core: CoreClient
    let storage: StorageClient
    let auth: PasswordAuth
    var generation: HubGeneration { hub.generation }
    var legacy: Bool { hub.generation == .legacy }

    static func run(_ generation: HubGeneration, _ body: (CoreHub) async throws -> Void) async throws {
        let hub = try await HubEmulator.start(
            generation: generation, configuration: HubEmulator.Configuration(asyncEffectDelay: .milliseconds(20)))
        let authURL = hub.authURL.absoluteString
        let auth = PasswordAuth(username: "admin", password: "start123", baseURL: authURL)
        let session = CoreHub(
            hub: hub, core: CoreClient(baseURL: hub.coreURL.absoluteString, auth: auth),
            storage: StorageClient(baseURL: hub.storageURL.absoluteString, auth: auth), auth: auth)
        do {
            try await body(session)
        } catch {
            await hub.stop()
            throw error
        }
        await hub.stop()
    }
}

/// A streaming 64-bit FNV-1a digest, to compare uploaded and downloaded bytes without keeping them.
struct Digest: Hashable {
    private(set) var value: UInt64 = 0xcbf2_9ce4_8422_2325
    private(set) var count: Int64 = 0

    mutating func update(_ bytes: [UInt8]) {
        var hash = value
        bytes.withUnsafeBufferPointer { buffer in
            for byte in buffer {
                hash = (hash ^ UInt64(byte)) &* 0x0000_0100_0000_01B3
            }
        }
        value = hash
        count += Int64(bytes.count)
    }

    static func of(_ bytes: [UInt8]) -> Digest {
        var digest = Digest()
        digest.update(bytes)
        return digest
    }
}

/// Deterministic pseudo-random bytes, produced chunk by chunk.
struct PatternChunks: AsyncSequence, Sendable {
    typealias Element = [UInt8]
    let total: Int
    let chunkSize: Int
    let seed: UInt64

    func makeAsyncIterator() -> Iterator { Iterator(remaining: total, chunkSize: chunkSize, state: seed | 1) }

    struct Iterator: AsyncIteratorProtocol {
        var remaining: Int
        let chunkSize: Int
        var state: UInt64

        mutating func next() async -> [UInt8]? {
            guard remaining > 0 else { return nil }
            let count = Swift.min(chunkSize, remaining)
            remaining -= count
            var chunk = [UInt8](repeating: 0, count: count)
            var state = self.state
            chunk.withUnsafeMutableBufferPointer { buffer in
                for index in buffer.indices {
                    state ^= state << 13
                    state ^= state >> 7
                    state ^= state << 17
                    buffer[index] = UInt8(truncatingIfNeeded: state)
                }
            }
            self.state = state
            return chunk
        }
    }

    /// The digest of the whole sequence.
    func digest() async -> Digest {
        var digest = Digest()
        var iterator = makeAsyncIterator()
        while let chunk = await iterator.next() { digest.update(chunk) }
        return digest
    }
}
