/// Inputs skipped under `on_error: skip`, by kind, with the first messages as
/// examples (written to `stats.json` under `errors`).
public struct InputErrorCounts: Equatable, Sendable, Codable {
    /// Files that could not be opened or read.
    public var unreadableFiles = 0
    /// Documents or lines that are not valid UTF-8.
    public var invalidUTF8 = 0
    /// JSONL lines that are not a JSON object.
    public var malformedJSON = 0
    /// JSONL lines without the text field, or with a non-string one.
    public var missingField = 0
    /// Documents or lines larger than `max_document_bytes`.
    public var tooLarge = 0
    /// The first few messages, each naming file and line.
    public var examples: [String] = []

    public init() {}

    /// All skipped inputs.
    public var total: Int { unreadableFiles + invalidUTF8 + malformedJSON + missingField + tooLarge }

    enum CodingKeys: String, CodingKey {
        case unreadableFiles = "unreadable_files", invalidUTF8 = "invalid_utf8", malformedJSON = "malformed_json"
        case missingField = "missing_field", tooLarge = "too_large", examples
    }
}
