import FlameHub
@testable import FlameHubEmulator
import NIOCore
import Testing

#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// Storage: buckets, multipart upload, file and tarball streams, raw HTTP, both generations.
@Suite struct StorageTests {
    @Test(arguments: HubGeneration.allCases)
    func bucketsCRUD(generation: HubGeneration) async throws {
        try await CoreSession.start(generation) { hub in
            let bucket = try await hub.create("/storage/buckets", ["name": "results", "region": "eu-west"])
            #expect(hub.value(bucket, "actorType") == "user")
            #expect(hub.value(bucket, "realmId")?.stringValue != nil)
            let byName = try await hub.get("/storage/buckets/results")
            #expect(byName.status == 200)
            #expect(byName.record(generation)["id"] == bucket["id"])
            #expect(try await hub.get("/storage/buckets/results?fields=id").status == 404)
            #expect(try await hub.get("/storage/buckets/\(hub.id(bucket))?fields=id").status == 200)
            #expect(try await hub.post("/storage/buckets", ["name": "x"]).status == 400)
            let update = try await hub.post("/storage/buckets/\(hub.id(bucket))", ["name": "renamed"])
            #expect(update.status == 202)
            #expect(update.record(generation)["name"] == "results")  // no updatable fields
            let missing = try await hub.get("/storage/buckets/\(CoreFixtures.freshID)")
            #expect(missing.status == 404)
            if generation != .legacy {
                #expect(missing.object["message"] == "The bucket was not found.")
                #expect(missing.object["issues"] == [])
            }
            #expect(try await hub.delete("/storage/buckets/\(hub.id(bucket))").status == 202)
            #expect(try await hub.get("/storage/buckets/\(hub.id(bucket))").status == 404)
        }
    }

    @Test(arguments: HubGeneration.allCases)
    func uploadStreamAndTarballRoundTrip(generation: HubGeneration) async throws {
        try await CoreSession.start(generation) { hub in
            let bucket = try await hub.create("/storage/buckets", ["name": "uploads"])
            let bucketID = hub.id(bucket)
            let large = sampleBytes(1_500_000, seed: 7)
            let small = Array("hello, hub\r\n--not-a-boundary\r\n".utf8)
            let longPath = String(repeating: "deep/", count: 30) + "file.bin"
            let upload = try await hub.upload(
                bucket: bucketID,
                [
                    (name: "data/large.bin", bytes: large), (name: "notes.txt", bytes: small),
                    (name: longPath, bytes: [1, 2, 3]),
                ])
            #expect(upload.status == 201, "\(upload.text)")
            #expect(upload.object["meta"] == ["total": 3])
            let files = upload.rows
            #expect(files.count == 3)
            let largeFile = try #require(files.first { $0["path"] == "data/large.bin" })
            #expect(largeFile["name"] == "large.bin")
            #expect(largeFile["directory"] == "data")
            #expect(largeFile["size"] == .int(large.count))
            #expect(largeFile["hash"]?.stringValue?.count == 64)
            #expect(largeFile["bucket"] == nil)
            #expect(largeFile["objectPath"] == nil && largeFile["object_path"] == nil)
            let notes = try #require(files.first { $0["path"] == "notes.txt" })
            #expect(notes["directory"] == ".")

            let streamed = try await hub.sendRaw(
                .get, "/storage/bucket-files/\(hub.id(largeFile))/stream", body: nil, contentType: nil)
            #expect(streamed.status == 200)
            #expect(streamed.bytes == large)
            switch generation {
            case .legacy:
                #expect(streamed.header("Content-Type") == "application/gzip")
                #expect(streamed.header("Content-Disposition") == nil)
            case .transitional, .current:
                #expect(streamed.header("Content-Type") == "application/octet-stream")
                #expect(streamed.header("Content-Disposition") == "attachment; filename=\"large.bin\"")
                #expect(streamed.header("Content-Encoding") == nil)
                let zipped = try await hub.sendRaw(
                    .get, "/storage/bucket-files/\(hub.id(largeFile))/stream", body: nil, contentType: nil,
                    headers: ["Accept-Encoding": "gzip, deflate"])
                #expect(zipped.header("Content-Encoding") == "gzip")
                #expect(gunzipStored(zipped.bytes) == large)
            }

            let tarball = try await hub.sendRaw(.get, "/storage/buckets/uploads/stream", body: nil, contentType: nil)
            #expect(tarball.status == 200)
            #expect(tarball.header("Content-Type") == "application/x-tar")
            #expect(tarball.bytes.count % 512 == 0)
            let entries = try parseTar(tarball.bytes)
            #expect(entries.map(\.name) == ["data/large.bin", "notes.txt", longPath])
            #expect(entries.map(\.size) == [large.count, small.count, 3])
            #expect(entries.allSatisfy { $0.type == UInt8(ascii: "0") })
            #expect(entries[0].contents == large)
            #expect(entries[1].contents == small)
            if generation == .current {
                #expect(tarball.header("Content-Disposition") == "attachment; filename=\"\(bucketID).tar\"")
            }

            let listed = try await hub.get(
                "/storage/bucket-files?filter[\(hub.key("bucketId"))]=\(bucketID)&include=bucket&sort=name")
            #expect(listed.names == ["file.bin", "large.bin", "notes.txt"])
            #expect(listed.rows.first?["bucket"]?["name"] == "uploads")

            // Deleting a file removes its object from the temporary directory.
            let storage = hub.hub.emulator.temporaryDirectory.appendingPathComponent("storage").path
            let before = try FileManager.default.contentsOfDirectory(atPath: storage).count
            #expect(try await hub.delete("/storage/bucket-files/\(hub.id(largeFile))").status == 202)
            #expect(try FileManager.default.contentsOfDirectory(atPath: storage).count == before - 1)
            let gone = try await hub.sendRaw(
                .get, "/storage/bucket-files/\(hub.id(largeFile))/stream", body: nil, contentType: nil)
            #expect(gone.status == 404)
            if generation != .legacy { #expect(gone.json?["message"] == "The bucket-file was not found.") }
            // Deleting the bucket removes the rest.
            #expect(try await hub.delete("/storage/buckets/\(bucketID)").status == 202)
            #expect(try FileManager.default.contentsOfDirectory(atPath: storage).count == before - 3)
            #expect(try await hub.get("/storage/bucket-files?filter[\(hub.key("bucketId"))]=\(bucketID)").rows.isEmpty)
        }
    }

    @Test(arguments: HubGeneration.allCases)
    func emptyBucketTarballAndUploadErrors(generation: HubGeneration) async throws {
        try await CoreSession.start(generation) { hub in
            let bucket = try await hub.create("/storage/buckets", ["name": "empty"])
            let tarball = try await hub.sendRaw(
                .get, "/storage/buckets/\(hub.id(bucket))/stream", body: nil, contentType: nil)
            #expect(tarball.bytes == [UInt8](repeating: 0, count: 1024))
            #expect(try parseTar(tarball.bytes).isEmpty)

            let notMultipart = try await hub.sendRaw(
                .post, "/storage/buckets/\(hub.id(bucket))/upload", body: ByteBuffer(string: "{}"),
                contentType: "application/json")
            #expect(notMultipart.status == 400)
            #expect(notMultipart.json?["message"] == "A multipart content-type header is required.")
            let empty = try await hub.sendRaw(
                .post, "/storage/buckets/\(hub.id(bucket))/upload", body: nil,
                contentType: "multipart/form-data; boundary=xyz")
            #expect(empty.status == 400)
            #expect(empty.json?["message"] == "The request body is empty.")
            let truncated = try await hub.sendRaw(
                .post, "/storage/buckets/\(hub.id(bucket))/upload",
                body: ByteBuffer(
                    string: "--xyz\r\nContent-Disposition: form-data; name=\"a\"; filename=\"a\"\r\n\r\nabc"),
                contentType: "multipart/form-data; boundary=xyz")
            #expect(truncated.status == 400)
            let missing = try await hub.upload(bucket: CoreFixtures.freshID, [(name: "a.txt", bytes: [1])])
            #expect(missing.status == 404)
            // Plain fields only: nothing stored.
            let fieldsOnly = try await hub.upload(bucket: hub.id(bucket), [])
            #expect(fieldsOnly.status == 201)
            #expect(fieldsOnly.object["meta"] == ["total": 0])

            let first = try await hub.upload(bucket: hub.id(bucket), [(name: "same.txt", bytes: Array("one".utf8))])
            #expect(first.status == 201)
            let again = try await hub.upload(bucket: hub.id(bucket), [(name: "same.txt", bytes: Array("two".utf8))])
            switch generation {
            case .legacy:
                // No unique constraint on 0.8.13: a second row, the object (keyed by the name) overwritten.
                #expect(again.status == 201)
                #expect(again.rows.first?["hash"] == first.rows.first?["hash"])
                let rows = try await hub.get("/storage/bucket-files?filter[bucket_id]=\(hub.id(bucket))").rows
                #expect(rows.count == 2)
                let stream = try await hub.sendRaw(
                    .get, "/storage/bucket-files/\(hub.id(try #require(rows.first)))/stream", body: nil,
                    contentType: nil)
                #expect(stream.text == "two")
            case .transitional, .current:
                #expect(again.status == 500)
                #expect(first.rows.first?["hash"] != nil)
            }
        }
    }

    @Test func multipartParserHandlesChunkBoundaries() throws {
        let payload = sampleBytes(10_000, seed: 3)
        var body = ByteBuffer()
        body.writeString(
            "preamble\r\n--b0undary\r\nContent-Disposition: form-data; name=\"f\"; filename*=UTF-8''na%C3%AFve.txt\r\n\r\n"
        )
        body.writeBytes(payload)
        body.writeString("\r\n--b0undary--\r\nepilogue")
        let bytes = Array(body.readableBytesView)
        for chunkSize in [1, 2, 7, 64, 4096, bytes.count] {
            var parser = MultipartParser(boundary: "b0undary")
            var events: [MultipartParser.Event] = []
            var offset = 0
            while offset < bytes.count {
                let end = min(bytes.count, offset + chunkSize)
                try parser.feed(ByteBuffer(bytes: bytes[offset..<end]), into: &events)
                offset = end
            }
            try parser.finish()
            var filenames: [String] = []
            var contents: [UInt8] = []
            var ends = 0
            for event in events {
                switch event {
                case .begin(let headers):
                    filenames.append(
                        MultipartParser.filename(contentDisposition: headers["content-disposition"] ?? "") ?? "")
                case .data(let buffer): contents += Array(buffer.readableBytesView)
                case .end: ends += 1
                }
            }
            #expect(filenames == ["naïve.txt"], "chunk size \(chunkSize)")
            #expect(contents == payload, "chunk size \(chunkSize)")
            #expect(ends == 1)
        }
        var truncated = MultipartParser(boundary: "b0undary")
        var events: [MultipartParser.Event] = []
        try truncated.feed(ByteBuffer(bytes: bytes.prefix(200)), into: &events)
        #expect(throws: MultipartParser.MalformedBody.self) { try truncated.finish() }
        #expect(MultipartParser.boundary(contentType: "multipart/form-data; boundary=\"a b\"") == "a b")
        #expect(MultipartParser.filename(contentDisposition: "form-data; name=\"x\"") == nil)
        #expect(
            MultipartParser.filename(contentDisposition: "form-data; name=\"x\"; filename=\"d/\\\"q\\\".txt\"")
                == "d/\"q\".txt")
    }
}
