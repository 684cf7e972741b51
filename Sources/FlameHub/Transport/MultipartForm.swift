/// A `multipart/form-data` form: named parts, each with optional file name and content type.
public struct MultipartForm: Sendable {
    /// One part of a form.
    public struct Part: Sendable {
        /// What a part carries.
        public enum Content: Sendable {
            /// In-memory bytes.
            case bytes([UInt8])
            /// A file streamed from disk as it is sent.
            case file(path: String)
            /// A one-shot async byte stream; `length` is needed by some servers, nil if unknown.
            case stream(ByteStream, length: Int64?)

            var isReplayable: Bool {
                if case .stream = self { return false }
                return true
            }
        }

        /// The form field name.
        public var name: String
        /// The file name sent in `Content-Disposition`, if any.
        public var filename: String?
        /// The part's content type; `application/octet-stream` for files when nil.
        public var contentType: String?
        /// The part's bytes.
        public var content: Content

        /// A part named `name` with the given content.
        public init(name: String, filename: String? = nil, contentType: String? = nil, content: Content) {
            self.name = name
            self.filename = filename
            self.contentType = contentType
            self.content = content
        }

        /// A part streamed from a one-shot async sequence of byte chunks.
        public static func stream<Chunks: AsyncSequence & Sendable>(
            name: String, filename: String? = nil, contentType: String? = nil, length: Int64? = nil, _ chunks: Chunks
        ) -> Part where Chunks.Element == [UInt8] {
            Part(
                name: name, filename: filename, contentType: contentType,
                content: .stream(ByteStream(chunks), length: length))
        }
    }

    /// The parts, in the order they are sent.
    public var parts: [Part]

    /// A form of `parts`.
    public init(_ parts: [Part] = []) {
        self.parts = parts
    }
}
