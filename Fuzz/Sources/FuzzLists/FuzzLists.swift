import FlameHub
import FuzzSupport

/// One list body (`{data: [...], meta: {total, limit, offset, schema}}`, either key casing)
/// decoded as each of a spread of models of the three services.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzLists(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    let bytes = Fuzz.bytes(data, size)
    Fuzz.decodeAsEachModel("decodeList") { model in _ = try HubJSON.decodeList(model, from: bytes) }
    return 0
}
