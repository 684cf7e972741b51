import Dispatch
import FlameHub

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// What the fuzz targets share. A finding stops the process, which libFuzzer records together
/// with the input that caused it (`crash-<sha1>` in the working directory).
public enum Fuzz {
    /// Stops with `message` so that libFuzzer saves the input and reports it.
    public static func fail(_ message: String) -> Never {
        // write(2), not stderr: that C global is not concurrency-safe in Swift 6.
        let line = Array("FUZZ FINDING: \(message)\n".utf8)
        _ = line.withUnsafeBytes { write(2, $0.baseAddress, $0.count) }
        abort()
    }

    /// Runs `work` as a task and waits for it: libFuzzer calls the targets synchronously, while
    /// the SDK's request path is async.
    public static func wait(_ work: @escaping @Sendable () async -> Void) {
        let done = DispatchSemaphore(value: 0)
        Task {
            await work()
            done.signal()
        }
        done.wait()
    }

    /// The fuzzer's input as the byte array the SDK's decoders take.
    public static func bytes(_ data: UnsafePointer<UInt8>?, _ size: Int) -> [UInt8] {
        guard let data, size > 0 else { return [] }
        return Array(UnsafeBufferPointer(start: data, count: size))
    }

    /// Fails unless `text` is free of what would garble a log line or a terminal: CR, LF and
    /// other control characters are never copied from a body into an error's text unescaped.
    public static func expectPrintable(_ text: String, _ what: String) {
        if text.unicodeScalars.contains(where: { $0.value < 0x20 && $0 != "\t" }) {
            fail("\(what) contains a control character: \(text.debugDescription)")
        }
    }
}

extension Fuzz {
    /// A spread of models of the three services and both generations' shapes (robots and
    /// clients, nested relations, enums, timestamps, optional secret fields).
    public static let models: [any HubModel.Type] = [
        Realm.self, User.self, Robot.self, Client.self, Role.self, Node.self, Project.self, Analysis.self,
        AnalysisNode.self, AnalysisBucketFile.self, MasterImage.self, Bucket.self, BucketFile.self,
    ]

    /// Runs `decode` for each of ``models``: each must decode or throw a `HubDecodingError`
    /// whose text has no control characters.
    public static func decodeAsEachModel(_ what: String, _ decode: (any HubModel.Type) throws -> Void) {
        for model in models {
            do {
                try decode(model)
            } catch let error as HubDecodingError {
                expectPrintable(error.description, "HubDecodingError of \(what)(\(model))")
            } catch {
                fail("\(what)(\(model)) threw \(type(of: error)), not a HubDecodingError: \(error)")
            }
        }
    }
}
