import CCurl

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// An easy handle with the buffers libcurl writes into while it runs a transfer: the error
/// buffer and the response-head sink.
///
/// The buffers live as long as the handle, not the transfer: allocating them (and growing the
/// head buffer by `realloc`) for every request cost the one I/O thread measurable time in a
/// 64-way loop. A kept handle's options still point at them, so a later request need not set
/// those options again. ``prepareForTransfer()`` clears what a previous request left, so no
/// response head or error text of one request is seen by the next.
///
/// A plain value of three pointers: whoever holds it (a transfer, or the idle pool) is the one
/// user of the handle at a time, as with the bare easy handle before.
struct CurlEasyHandle: @unchecked Sendable {
    let pointer: UnsafeMutableRawPointer
    let headSink: UnsafeMutablePointer<fh_head_sink>
    let errorBuffer: UnsafeMutablePointer<CChar>

    /// A head buffer that grew beyond this (a response with huge fields) is freed when the handle
    /// goes back to the pool, so 64 idle handles never hold more than 64 × 16 KiB.
    static let keptHeadCapacity = 16 << 10

    /// A new easy handle with its buffers, or nil when libcurl cannot make one.
    static func make() -> CurlEasyHandle? {
        guard let pointer = curl_easy_init() else { return nil }
        let headSink = UnsafeMutablePointer<fh_head_sink>.allocate(capacity: 1)
        headSink.initialize(to: fh_head_sink())
        let errorBuffer = UnsafeMutablePointer<CChar>.allocate(capacity: Int(CURL_ERROR_SIZE))
        errorBuffer.initialize(repeating: 0, count: Int(CURL_ERROR_SIZE))
        return CurlEasyHandle(pointer: pointer, headSink: headSink, errorBuffer: errorBuffer)
    }

    /// Clears the head sink (keeping its buffer's memory, not its bytes) and the error text.
    func prepareForTransfer() {
        let bytes = headSink.pointee.bytes
        let capacity = headSink.pointee.capacity
        headSink.pointee = fh_head_sink()
        headSink.pointee.bytes = bytes
        headSink.pointee.capacity = capacity
        errorBuffer[0] = 0
    }

    /// Called when the handle leaves its transfer: the sink no longer names the transfer, and an
    /// oversized head buffer is given back.
    func detach() {
        headSink.pointee.owner = nil
        headSink.pointee.on_complete = nil
        headSink.pointee.count = 0
        if headSink.pointee.capacity > Self.keptHeadCapacity {
            free(headSink.pointee.bytes)
            headSink.pointee.bytes = nil
            headSink.pointee.capacity = 0
        }
    }

    /// Frees the handle and its buffers.
    func cleanup() {
        curl_easy_cleanup(pointer)
        free(headSink.pointee.bytes)
        headSink.deallocate()
        errorBuffer.deallocate()
    }
}
