#if canImport(Glibc)
import Glibc
#else
import Darwin
#endif

/// A path glob: `*`, `?` and `[...]` within one path segment (POSIX fnmatch),
/// and `**` as a whole segment for zero or more directories. Like a shell,
/// wildcards do not match names starting with `.`.
/// `**/*.md` matches `a.md` and `x/y/a.md`; `*.md` matches only `a.md`.
public struct GlobPattern: Equatable, Sendable {
    /// The pattern as written.
    public let pattern: String
    private let segments: [String]

    public init(_ pattern: String) {
        self.pattern = pattern
        segments = pattern.split(separator: "/", omittingEmptySubsequences: true).map(String.init)
    }

    /// Whether the pattern has any wildcard.
    public var hasWildcard: Bool { GlobPattern.hasWildcard(pattern) }

    static func hasWildcard(_ s: String) -> Bool { s.contains { $0 == "*" || $0 == "?" || $0 == "[" } }

    /// Whether a relative path (segments separated by `/`) matches.
    public func matches(_ path: String) -> Bool {
        let parts = path.split(separator: "/", omittingEmptySubsequences: true).map(String.init)
        return match(0, parts, 0)
    }

    private func match(_ si: Int, _ parts: [String], _ pi: Int) -> Bool {
        if si == segments.count { return pi == parts.count }
        let seg = segments[si]
        if seg == "**" {
            // Zero or more whole segments, never hidden ones (as a shell's globstar).
            var k = pi
            while k <= parts.count {
                if match(si + 1, parts, k) { return true }
                if k < parts.count && parts[k].hasPrefix(".") { return false }
                k += 1
            }
            return false
        }
        guard pi < parts.count else { return false }
        guard fnmatch(seg, parts[pi], FNM_PERIOD) == 0 else { return false }
        return match(si + 1, parts, pi + 1)
    }
}
