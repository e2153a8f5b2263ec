#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation

/// Shell-style pattern matching on the file system: `*`, `?` and `[...]`
/// within one path segment, as glob(3) does, and `**` as a whole segment for
/// zero or more directories (a shell's globstar). Wildcards never match a name
/// that starts with `.`, and `**` never enters a hidden directory. These are
/// the rules of the `collect` step's sources, so a pattern hashed as a step's
/// input names exactly the files the step reads.
public enum Glob {
    /// The paths matching `pattern`, sorted. With `**` only files match.
    public static func matches(_ pattern: String) -> [String] {
        let segments = pattern.split(separator: "/", omittingEmptySubsequences: true).map(String.init)
        guard segments.contains("**") else { return systemGlob(pattern) }
        let fixed = segments.firstIndex(where: hasWildcard) ?? segments.count
        let root = directory(segments[..<fixed], absolute: pattern.hasPrefix("/"))
        let rest = Array(segments[fixed...])
        var out: [String] = []
        let walker = FileManager.default.enumerator(atPath: root.isEmpty ? "." : root)
        while let relative = walker?.nextObject() as? String {
            let parts = relative.split(separator: "/", omittingEmptySubsequences: true).map(String.init)
            guard match(rest, 0, parts, 0) else { continue }
            let path = root.isEmpty ? relative : (root.hasSuffix("/") ? root + relative : "\(root)/\(relative)")
            var isDirectory: ObjCBool = false
            // Files only, as the collect step reads them (a link to a file counts).
            guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), !isDirectory.boolValue else { continue }
            out.append(path)
        }
        return out.sorted()
    }

    /// The folder a pattern's matches are under: its segments before the first
    /// wildcard (`data/text` for `data/text/**/*.md`; empty for `*.txt`).
    public static func root(of pattern: String) -> String {
        let segments = pattern.split(separator: "/", omittingEmptySubsequences: true).map(String.init)
        let fixed = segments.firstIndex(where: hasWildcard) ?? segments.count
        return directory(segments[..<fixed], absolute: pattern.hasPrefix("/"))
    }

    /// Whether a path is a pattern rather than a plain path.
    public static func hasWildcard<S: StringProtocol>(_ s: S) -> Bool {
        s.contains { $0 == "*" || $0 == "?" || $0 == "[" }
    }

    private static func directory(_ segments: ArraySlice<String>, absolute: Bool) -> String {
        (absolute ? "/" : "") + segments.joined(separator: "/")
    }

    private static func systemGlob(_ pattern: String) -> [String] {
        var g = glob_t()
        defer { globfree(&g) }
        guard glob(pattern, 0, nil, &g) == 0 else { return [] }
        var out: [String] = []
        for i in 0..<Int(g.gl_pathc) {
            if let p = g.gl_pathv[i] { out.append(String(cString: p)) }
        }
        return out.sorted()
    }

    /// Whether `parts[pi...]` matches `segments[si...]`.
    private static func match(_ segments: [String], _ si: Int, _ parts: [String], _ pi: Int) -> Bool {
        if si == segments.count { return pi == parts.count }
        if segments[si] == "**" {
            var k = pi
            while k <= parts.count {
                if match(segments, si + 1, parts, k) { return true }
                if k < parts.count && parts[k].hasPrefix(".") { return false }
                k += 1
            }
            return false
        }
        guard pi < parts.count, fnmatch(segments[si], parts[pi], FNM_PERIOD) == 0 else { return false }
        return match(segments, si + 1, parts, pi + 1)
    }
}
