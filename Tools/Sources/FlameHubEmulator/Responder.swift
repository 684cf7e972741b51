import Hummingbird

/// The Hummingbird entry point: test hooks, fault injection, request logging and dispatch to
/// the service named by the first path segment (as the Hub's nginx strips `/auth`, `/core`,
/// `/storage` before proxying).
struct EmulatorResponder: HTTPResponder {
    typealias Context = BasicRequestContext
    let core: EmulatorCore

    /// Thrown from a body writer to cut the connection mid-response.
    struct DroppedConnection: Error {}

    func respond(to request: Request, context: Context) async throws -> Response {
        var request = request
        let rawPath = request.uri.path
        let segments = rawPath.split(separator: "/").map { QueryItems.decodePath($0) }
        if segments.first == "_emulator" {
            return try await ControlAPI(core: core).respond(path: Array(segments.dropFirst()), request: &request)
                .hummingbird(fault: nil)
        }

        let method = request.method.rawValue
        let fault = core.hooks.takeFault(method: method, path: rawPath)
        let service = segments.first.flatMap { core.services[$0] }
        var response: EmulatorResponse
        if case .status(let status, let retryAfter)? = fault {
            let error = EmulatorError(
                .explicit(status: status, code: "injected_fault", message: "Fault injected by the emulator."))
            if let service {
                response = core.render(error, service: service)
            } else {
                response = .json(
                    [
                        "statusCode": .int(status), "code": "injected_fault",
                        "message": "Fault injected by the emulator.",
                    ], status: status)
            }
            if let retryAfter { response.headers.append(("Retry-After", String(retryAfter))) }
        } else {
            if case .delay(let duration)? = fault { try? await Task.sleep(for: duration) }
            if let service {
                response = await core.dispatch(service: service, path: Array(segments.dropFirst()), request: &request)
            } else {
                response = .json(
                    ["statusCode": 404, "code": "NOT_FOUND", "message": .string("Cannot \(method) \(rawPath)")],
                    status: 404)
            }
        }

        var headers: [String: String] = [:]
        for field in request.headers {
            let name = field.name.canonicalName
            headers[name] = headers[name].map { $0 + ", " + field.value } ?? field.value
        }
        core.hooks.record(
            LoggedRequest(
                method: method, path: rawPath, query: request.uri.query, headers: headers, status: response.status))
        return response.hummingbird(fault: fault)
    }
}

extension QueryItems {
    /// Percent-decodes a path segment (`%40me` → `@me`); `+` stays a plus in paths.
    static func decodePath(_ segment: Substring) -> String {
        segment.contains("%") ? decode(segment.replacingOccurrences(of: "+", with: "%2B")[...]) : String(segment)
    }
}

extension EmulatorResponse {
    /// Converts to a Hummingbird response, applying body-level faults.
    func hummingbird(fault: Fault.Action?) -> Response {
        var fields = HTTPFields()
        for (name, value) in headers {
            if let fieldName = HTTPFieldName(name) { fields.append(HTTPFields.Element(name: fieldName, value: value)) }
        }
        let status = HTTPResponse.Status(code: status)
        var payload: [UInt8]
        switch body {
        case .empty:
            return Response(status: status, headers: fields)
        case .stream(let contentType, let length, let writer):
            fields[.contentType] = contentType
            if case .dropConnection? = fault {
                return Response(
                    status: status, headers: fields,
                    body: ResponseBody { _ in throw EmulatorResponder.DroppedConnection() })
            }
            return Response(status: status, headers: fields, body: ResponseBody(contentLength: length, writer))
        case .json(let value):
            fields[.contentType] = "application/json; charset=utf-8"
            payload = Array(value.serialized().utf8)
        case .bytes(let buffer, let contentType):
            fields[.contentType] = contentType
            payload = Array(buffer.readableBytesView)
        }

        switch fault {
        case .dropConnection?:
            let half = payload.count / 2
            let sent = payload
            return Response(
                status: status, headers: fields,
                body: ResponseBody(contentLength: sent.count) { writer in
                    try await writer.write(ByteBuffer(bytes: sent.prefix(half)))
                    throw EmulatorResponder.DroppedConnection()
                })
        case .truncatedBody?:
            payload = Array(payload.prefix(payload.count / 2))
        case .invalidJSON?:
            payload = Array("{\"data\": <html>502 Bad Gateway</html>".utf8)
        case .slowBody(let rate)?:
            let sent = payload
            let chunk = max(1, rate / 10)
            return Response(
                status: status, headers: fields,
                body: ResponseBody(contentLength: sent.count) { writer in
                    var offset = 0
                    while offset < sent.count {
                        let end = min(sent.count, offset + chunk)
                        try await writer.write(ByteBuffer(bytes: sent[offset..<end]))
                        offset = end
                        if offset < sent.count { try await Task.sleep(for: .milliseconds(100)) }
                    }
                    try await writer.finish(nil)
                })
        default:
            break
        }
        return Response(status: status, headers: fields, body: ResponseBody(byteBuffer: ByteBuffer(bytes: payload)))
    }
}

/// `/_emulator/…`: test hooks over HTTP, for clients that are not in this process.
struct ControlAPI {
    let core: EmulatorCore

    func respond(path: [String], request: inout Request) async throws -> EmulatorResponse {
        switch (request.method, path) {
        case (.get, ["info"]):
            return .json([
                "generation": .string(core.generation.rawValue), "hubVersion": .string(core.generation.hubVersion),
                "authupVersion": .string(core.generation.authupVersion),
            ])
        case (.post, ["reset"]):
            core.reset()
            core.hooks.clearFaults()
            core.hooks.clearRequests()
            return .json(["reset": true])
        case (.post, ["faults"]):
            let body = (try? await request.collectBody(upTo: 1 << 16)).map { Array($0.readableBytesView) } ?? []
            guard let json = try? EmulatorJSON.parse(body).objectValue, let fault = Fault(json: json) else {
                return .json(
                    ["statusCode": 400, "code": "bad_request", "message": "Invalid fault description."], status: 400)
            }
            core.hooks.add(fault)
            return .json(["added": true], status: 201)
        case (.delete, ["faults"]):
            core.hooks.clearFaults()
            return .json(["cleared": true])
        case (.get, ["requests"]):
            return .json(["data": .array(core.hooks.requests.map(\.json))])
        case (.delete, ["requests"]):
            core.hooks.clearRequests()
            return .json(["cleared": true])
        default:
            return .json(["statusCode": 404, "code": "NOT_FOUND", "message": "Unknown emulator hook."], status: 404)
        }
    }
}
