/// Rules for the names a user gives: steps, outputs, params, matrix keys.
public enum Names {
    /// The longest name, in bytes: names become folder and file names, and
    /// with a matrix suffix must stay under the file system's 255.
    public static let maximumLength = 100

    /// Letters, digits, `_` and `-`, starting with a letter, digit or `_`;
    /// at most `maximumLength` characters. Such a name is safe as a folder name.
    public static func isPlainName(_ name: String) -> Bool {
        guard !name.isEmpty, name.utf8.count <= maximumLength else { return false }
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

    /// What is wrong with a name, for a message: `step name 'x' \(phrase)`.
    public enum Problem: Sendable, Equatable {
        case tooLong(Int)
        case notPlain

        public var phrase: String {
            switch self {
            case .tooLong(let n): return "is too long (\(n) characters)"
            case .notPlain: return "is not a plain name"
            }
        }

        /// The hint: for a long name, the limit; otherwise `plainHint`.
        public func hint(_ plainHint: String) -> String {
            switch self {
            case .tooLong: return "a name has at most \(Names.maximumLength) characters (it names folders and files); shorten it"
            case .notPlain: return plainHint
            }
        }
    }

    /// Why `name` is not a plain name, or nil when it is.
    public static func problem(_ name: String) -> Problem? {
        if name.utf8.count > maximumLength { return .tooLong(name.utf8.count) }
        return isPlainName(name) ? nil : .notPlain
    }

    /// The name as a message shows it: a long one cut to its first 24 characters.
    public static func shown(_ name: String) -> String {
        name.utf8.count > maximumLength ? name.prefix(24) + "..." : name
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
