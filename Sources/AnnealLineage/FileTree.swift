import Foundation

/// The files of one commit arranged as git trees: file names to contents, and
/// directory names to their own trees. Built from slash paths, checked first so
/// that a bad path is an error naming it, not a corrupt tree.
struct FileTree {
    private(set) var files: [String: Data] = [:]
    private(set) var directories: [String: FileTree] = [:]

    init() {}

    /// Arranges `files` (by slash path) into trees; throws `invalidArgument` for an
    /// empty, absolute or `.`/`..` path, or a path used both as a file and a directory.
    init(files: [String: Data]) throws {
        for path in files.keys.sorted() {
            try insert(files[path]!, at: try Self.components(of: path)[...], fullPath: path)
        }
    }

    private mutating func insert(_ data: Data, at components: ArraySlice<String>, fullPath: String) throws {
        let name = components.first!
        if components.count == 1 {
            guard directories[name] == nil else { throw Self.clash(fullPath) }
            files[name] = data
            return
        }
        guard files[name] == nil else { throw Self.clash(fullPath) }
        var directory = directories[name] ?? FileTree()
        try directory.insert(data, at: components.dropFirst(), fullPath: fullPath)
        directories[name] = directory
    }

    private static func components(of path: String) throws -> [String] {
        let parts = path.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
        let bad = path.isEmpty || path.contains("\0")
            || parts.contains { $0.isEmpty || $0 == "." || $0 == ".." || $0.lowercased() == ".git" }
        guard !bad else {
            throw LineageError(.invalidArgument, "'\(path)' is not a valid file path for a run commit",
                               hint: "use a relative slash path without empty, '.', '..' or '.git' parts, like recipes/sft.yaml")
        }
        return parts
    }

    private static func clash(_ path: String) -> LineageError {
        LineageError(.invalidArgument, "'\(path)' is used both as a file and as a directory",
                     hint: "give the file and the directory different names")
    }
}
