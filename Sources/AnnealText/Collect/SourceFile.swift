import Foundation

/// One input file of a collect run and how to read it.
public struct SourceFile: Equatable, Sendable {
    /// Path as resolved (absolute, or relative to the working directory).
    public var path: String
    /// Path as shown in `source` fields and messages (as the user wrote it, relative
    /// to the base directory when the source was relative).
    public var displayPath: String
    /// The JSONL field holding the text, or nil for a text file (one document).
    public var jsonField: String?

    /// Expands the sources of a config into files, in source order, each
    /// source's matches sorted by path. Throws when a literal path does not exist,
    /// a pattern matches nothing, or a spec sets not exactly one of files/directory/jsonl.
    public static func expand(_ sources: [SourceSpec], baseDirectory: String?) throws -> [SourceFile] {
        let base = baseDirectory ?? FileManager.default.currentDirectoryPath
        var out: [SourceFile] = []
        for (n, spec) in sources.enumerated() {
            let set = [spec.files != nil, spec.directory != nil, spec.jsonl != nil].filter { $0 }.count
            guard set == 1 else {
                throw TextError("sources[\(n)]: set exactly one of 'files', 'directory' or 'jsonl' (found \(set))")
            }
            if let patterns = spec.files ?? spec.jsonl {
                let forceJSON = spec.jsonl != nil
                for p in patterns {
                    for display in try expandPattern(p, base: base, source: n) {
                        out.append(file(display, base: base, field: spec.field, forceJSON: forceJSON))
                    }
                }
            } else if let dir = spec.directory {
                let root = resolve(dir, base: base)
                var isDir: ObjCBool = false
                guard FileManager.default.fileExists(atPath: root, isDirectory: &isDir), isDir.boolValue else {
                    throw TextError("sources[\(n)]: directory '\(dir)' does not exist")
                }
                let include = spec.include.map(GlobPattern.init)
                let exclude = spec.exclude.map(GlobPattern.init)
                for rel in try regularFiles(under: root) where include.contains(where: { $0.matches(rel) })
                    && !exclude.contains(where: { $0.matches(rel) }) {
                    out.append(file(join(dir, rel), base: base, field: spec.field, forceJSON: false))
                }
            }
        }
        return out
    }

    static func isJSONL(_ path: String) -> Bool { path.hasSuffix(".jsonl") || path.hasSuffix(".jsonl.gz") }

    private static func file(_ display: String, base: String, field: String, forceJSON: Bool) -> SourceFile {
        SourceFile(path: resolve(display, base: base), displayPath: display,
                   jsonField: forceJSON || isJSONL(display) ? field : nil)
    }

    static func resolve(_ path: String, base: String) -> String { path.hasPrefix("/") ? path : join(base, path) }

    static func join(_ a: String, _ b: String) -> String {
        a.isEmpty || a == "." ? b : (a.hasSuffix("/") ? a + b : a + "/" + b)
    }

    /// Display paths matching one pattern, sorted.
    private static func expandPattern(_ pattern: String, base: String, source n: Int) throws -> [String] {
        guard GlobPattern.hasWildcard(pattern) else {
            // A literal path: existence is checked when it is read, so that
            // on_error: skip can skip it like any unreadable file.
            return [pattern]
        }
        // Walk from the longest directory prefix without wildcards.
        let absolute = pattern.hasPrefix("/")
        let parts = pattern.split(separator: "/", omittingEmptySubsequences: true).map(String.init)
        let fixedCount = parts.firstIndex(where: GlobPattern.hasWildcard) ?? parts.count
        let prefix = (absolute ? "/" : "") + parts[..<fixedCount].joined(separator: "/")
        let glob = GlobPattern(parts[fixedCount...].joined(separator: "/"))
        let root = prefix.isEmpty ? base : resolve(prefix, base: base)
        var matches: [String] = []
        if FileManager.default.fileExists(atPath: root) {
            for rel in try regularFiles(under: root) where glob.matches(rel) { matches.append(join(prefix, rel)) }
        }
        guard !matches.isEmpty else {
            throw TextError("sources[\(n)]: '\(pattern)' matches no files")
        }
        return matches.sorted { Array($0.utf8).lexicographicallyPrecedes(Array($1.utf8)) }
    }

    /// Relative paths of the regular files under `root`, recursively, sorted by bytes.
    static func regularFiles(under root: String) throws -> [String] {
        let fm = FileManager.default
        let all: [String]
        do { all = try fm.subpathsOfDirectory(atPath: root) } catch {
            throw TextError("cannot list directory \(root): \(error.localizedDescription)")
        }
        var files: [String] = []
        for rel in all {
            var isDir: ObjCBool = false
            if fm.fileExists(atPath: join(root, rel), isDirectory: &isDir), !isDir.boolValue { files.append(rel) }
        }
        return files.sorted { Array($0.utf8).lexicographicallyPrecedes(Array($1.utf8)) }
    }
}
