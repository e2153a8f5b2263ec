/// Rules for the names a user gives: steps, outputs, params, matrix keys.
public enum Names {
    /// Letters, digits, `_` and `-`, starting with a letter, digit or `_`;
    /// at most 100 characters. Such a name is safe as a folder name.
    public static func isPlainName(_ name: String) -> Bool {
        guard !name.isEmpty, name.utf8.count <= 100 else { return false }
        for (i, c) in name.utf8.enumerated() {
            switch c {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
                 UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "_"):
                continue
            case UInt8(ascii: "-") where i > 0:
                continue
            default:
                return false
            }
        }
        return true
    }

    /// Why `path` cannot be a declared output path inside a step's own folder,
    /// or nil when it can: relative, no `..`, no empty or `.` components, no
    /// backslashes or NUL.
    public static func outputPathProblem(_ path: String) -> String? {
        if path.isEmpty { return "it is empty" }
        if path.hasPrefix("/") { return "it is absolute" }
        if path.contains("\\") { return "it contains a backslash" }
        if path.contains("\0") { return "it contains a NUL character" }
        let trimmed = path.hasSuffix("/") ? String(path.dropLast()) : path
        for component in trimmed.split(separator: "/", omittingEmptySubsequences: false) {
            if component == ".." { return "it contains '..'" }
            if component.isEmpty || component == "." { return "it has an empty or '.' component" }
        }
        return nil
    }
}
