import FlameHub
import FuzzSupport

/// One list body (`{data: [...], meta: {total, limit, offset, schema}}`, either key casing)
/// decoded as each of a spread of models of the three services.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzLists(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    let bytes = Fuzz.bytes(data, size)
    Fuzz.decodeAsEachModel("decodeList") { model in try decodeList(model, bytes) }
    return 0
}

/// A generic step, so that the model's existential type can be opened (the list's type
/// depends on it).
func decodeList<Model: HubModel>(_ model: Model.Type, _ bytes: [UInt8]) throws {
    _ = try HubJSON.decodeList(model, from: bytes)
}
