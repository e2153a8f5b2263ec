/// One entry of the `collect` step's `sources:` list. Exactly one of `files`,
/// `directory` or `jsonl` is set (YAML: `{ files: data/*.txt }`,
/// `{ directory: data/, include: ["**/*.md"], exclude: ["drafts/**"] }`,
/// `{ jsonl: data/wiki.jsonl.gz, field: text }`).
///
/// A text file (`.txt`, `.md`, anything not JSONL) is one document; a JSONL file
/// gives one document per non-blank line, taken from the string field `field`.
/// Files ending in `.jsonl` or `.jsonl.gz` are read as JSONL wherever they are
/// listed. Relative paths are resolved against `CollectConfig.baseDirectory`.
public struct SourceSpec: Equatable, Sendable {
    /// `files`: paths or glob patterns (`*`, `?`, `[abc]`, `**` for any depth).
    public var files: [String]?
    /// `directory`: a directory searched recursively.
    public var directory: String?
    /// `include`: globs, relative to `directory`, a file must match. Default `**/*.txt`, `**/*.md`.
    public var include: [String]
    /// `exclude`: globs, relative to `directory`, that drop a file. Default none.
    public var exclude: [String]
    /// `jsonl`: paths or globs of `.jsonl` or `.jsonl.gz` files.
    public var jsonl: [String]?
    /// `field`: the JSONL field holding the text. Default `text`.
    public var field: String

    public init(files: [String]? = nil, directory: String? = nil,
                include: [String] = ["**/*.txt", "**/*.md"], exclude: [String] = [],
                jsonl: [String]? = nil, field: String = "text") {
        self.files = files
        self.directory = directory
        self.include = include
        self.exclude = exclude
        self.jsonl = jsonl
        self.field = field
    }

    /// Text files or globs.
    public static func files(_ patterns: String...) -> SourceSpec { SourceSpec(files: patterns) }

    /// A directory, recursively, filtered by include and exclude globs.
    public static func directory(_ path: String, include: [String] = ["**/*.txt", "**/*.md"],
                                 exclude: [String] = []) -> SourceSpec {
        SourceSpec(directory: path, include: include, exclude: exclude)
    }

    /// JSONL files (optionally gzip-compressed) with the text in `field`.
    public static func jsonl(_ patterns: String..., field: String = "text") -> SourceSpec {
        SourceSpec(jsonl: patterns, field: field)
    }
}
