import AnnealSpec

/// An output in the store: its digest and whether it is a file or a folder
/// (a folder's digest is that of its manifest).
public struct StoredArtifact: Hashable, Sendable {
    public var digest: Digest
    public var shape: OutputDeclaration.Shape
    /// Total size in bytes of the file, or of every file in the folder.
    public var size: Int64

    public init(digest: Digest, shape: OutputDeclaration.Shape, size: Int64) {
        self.digest = digest
        self.shape = shape
        self.size = size
    }

    var value: Value {
        .map(["digest": .string(digest.hex), "shape": .string(shape.rawValue), "size": .int(Int(size))])
    }

    init?(_ value: Value) {
        guard let hex = value["digest"]?.string, let digest = Digest(hex: hex),
              let shape = value["shape"]?.string.flatMap(OutputDeclaration.Shape.init(rawValue:)) else { return nil }
        self.init(digest: digest, shape: shape, size: Int64(value["size"]?.int ?? 0))
    }
}

/// A folder artifact's content: each file's path, mode, size and digest,
/// sorted by path. Its canonical text is hashed to name the folder, as a git
/// tree names its entries.
public struct DirectoryManifest: Sendable {
    public struct Entry: Sendable {
        public var path: String
        public var executable: Bool
        public var size: Int64
        public var digest: Digest
    }

    public var entries: [Entry]

    /// One line per file: `100755|100644 SIZE DIGEST PATH`.
    public var text: String {
        entries.map { "\($0.executable ? "100755" : "100644") \($0.size) \($0.digest.hex) \($0.path)\n" }.joined()
    }

    public var size: Int64 { entries.reduce(0) { $0 + $1.size } }

    init(entries: [Entry]) {
        self.entries = entries.sorted { Array($0.path.utf8).lexicographicallyPrecedes(Array($1.path.utf8)) }
    }

    init?(text: String) {
        var entries: [Entry] = []
        for line in text.split(separator: "\n") {
            let f = line.split(separator: " ", maxSplits: 3, omittingEmptySubsequences: false)
            guard f.count == 4, let size = Int64(f[1]), let d = Digest(hex: String(f[2])) else { return nil }
            entries.append(Entry(path: String(f[3]), executable: f[0] == "100755", size: size, digest: d))
        }
        self.entries = entries
    }
}
