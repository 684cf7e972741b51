import FlameHub
import FuzzSupport

/// One record body, bare (legacy) or in a `{data, meta}` envelope (current), decoded as each of a
/// spread of models of the three services.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzRecords(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    let bytes = Fuzz.bytes(data, size)
    Fuzz.decodeAsEachModel("decodeRecord") { model in _ = try HubJSON.decodeRecord(model, from: bytes) }
    return 0
}
