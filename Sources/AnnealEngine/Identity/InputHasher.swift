import AnnealSpec
import Foundation

/// Digests of workspace inputs: a file by its content (through the memo), a
/// folder by a manifest of its files, a glob by the sorted list of matches,
/// each named by its path below the pattern's fixed folder (so moving a file
/// between the folders a `**` pattern spans changes the digest).
public struct InputHasher: Sendable {
    let memo: HashMemo

    public init(memo: HashMemo) {
        self.memo = memo
    }

    public func digest(path: String, baseDirectory: String) throws -> Digest {
        let full = Self.absolute(path, baseDirectory: baseDirectory)
        if path.contains(where: { "*?[".contains($0) }) {
            let matches = Glob.matches(full)
            guard !matches.isEmpty else { throw StepFailure("input pattern '\(path)' matches no file") }
            let root = Glob.root(of: full)
            var lines = ""
            for m in matches {
                let name = m.hasPrefix(root + "/") ? String(m.dropFirst(root.count + 1)) : (m as NSString).lastPathComponent
                lines += "\(try digest(absolute: m).hex) \(name)\n"
            }
            return Digest.of("glob\n" + lines)
        }
        return try digest(absolute: full)
    }

    func digest(absolute full: String) throws -> Digest {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: full, isDirectory: &isDirectory) else {
            throw StepFailure("input '\(full)' does not exist")
        }
        guard isDirectory.boolValue else { return try memo.digest(of: full) }
        var entries: [DirectoryManifest.Entry] = []
        let walker = FileManager.default.enumerator(atPath: full)
        while let relative = walker?.nextObject() as? String {
            let p = "\(full)/\(relative)"
            var st = stat()
            guard stat(p, &st) == 0, st.st_mode & S_IFMT == S_IFREG else { continue }
            entries.append(.init(path: relative, executable: st.st_mode & 0o100 != 0, size: Int64(st.st_size),
                                 digest: try memo.digest(of: p)))
        }
        return Digest.of(DirectoryManifest(entries: entries).text)
    }

    public static func absolute(_ path: String, baseDirectory: String) -> String {
        if path.hasPrefix("/") { return path }
        let base = baseDirectory.isEmpty ? FileManager.default.currentDirectoryPath : baseDirectory
        let joined = base.hasPrefix("/") ? "\(base)/\(path)" : "\(FileManager.default.currentDirectoryPath)/\(base)/\(path)"
        return (joined as NSString).standardizingPath
    }
}
