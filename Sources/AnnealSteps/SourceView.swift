import AnnealEngine
import AnnealSpec
import AnnealText
import Foundation

/// The `collect` step's sources, laid out so that every document's `source`
/// (`sources.0/web/page.html:1`) is made only of what the step's identity
/// holds: the entry's place in `sources`, and the file's path below the folder
/// of its pattern or `dir` (which the input digest names). The workspace path
/// is not in the identity (moving the workspace or renaming a data folder
/// leaves a step cached), so it must not be in the output either.
///
/// Each entry becomes a symbolic link `sources.I` (or `sources.I.J` for the
/// J-th path of a list) in a scratch folder, pointing at the folder its files
/// are under (or at the file itself), and each file becomes one source of
/// the collector, read through that link, in the order the collector itself
/// would read them.
struct SourceView {
    /// One path of one entry of `sources`.
    struct Entry {
        enum Kind: String {
            case files, dir, jsonl
        }

        /// `sources.I` or `sources.I.J`.
        var label: String
        var kind: Kind
        /// Absolute: a file, a glob pattern or a folder.
        var path: String
        var include: [String]
        var exclude: [String]
        var field: String
    }

    /// The scratch folder that holds the links; the collector's base directory.
    let directory: String
    /// One source per file, relative to `directory`.
    private(set) var sources: [SourceSpec] = []
    /// Link name to what it points at, for messages.
    private var targets: [(label: String, path: String)] = []

    init(entries: [Entry], in directory: String) throws {
        self.directory = directory
        let fm = FileManager.default
        try? fm.removeItem(atPath: directory)
        try fm.createDirectory(atPath: directory, withIntermediateDirectories: true)
        for entry in entries {
            let spec: SourceSpec
            let root: String?
            switch entry.kind {
            case .dir:
                spec = SourceSpec(directory: entry.path, include: entry.include, exclude: entry.exclude)
                root = entry.path.count > 1 && entry.path.hasSuffix("/") ? String(entry.path.dropLast()) : entry.path
            case .files, .jsonl:
                spec = entry.kind == .jsonl ? SourceSpec(jsonl: [entry.path], field: entry.field)
                    : SourceSpec(files: [entry.path], field: entry.field)
                root = Glob.hasWildcard(entry.path) ? Glob.root(of: entry.path) : nil
            }
            let files: [SourceFile]
            do { files = try SourceFile.expand([spec], baseDirectory: nil) } catch let e as TextError {
                throw StepFailure(e.message.replacingOccurrences(of: "sources[0]", with: entry.label))
            }
            let target = root ?? entry.path
            guard symlink(target, "\(directory)/\(entry.label)") == 0 else {
                throw StepFailure("cannot link \(directory)/\(entry.label) to \(target): \(String(cString: strerror(errno)))")
            }
            targets.append((entry.label, target))
            for file in files {
                let name: String
                if let root {
                    let prefix = root.hasSuffix("/") ? root : root + "/"
                    guard file.displayPath.hasPrefix(prefix) else {
                        throw StepFailure("\(entry.label): \(file.displayPath) is not below \(root)")
                    }
                    name = Self.literal(entry.label, String(file.displayPath.dropFirst(prefix.count)))
                } else {
                    name = entry.label
                }
                sources.append(file.jsonField.map { SourceSpec(jsonl: [name], field: $0) } ?? SourceSpec(files: [name]))
            }
        }
    }

    /// `label/relative` as the collector reads a plain path. A name with a
    /// wildcard character is written as a pattern that matches only itself,
    /// walked from `label/.` (the collector does not walk a link itself).
    static func literal(_ label: String, _ relative: String) -> String {
        guard Glob.hasWildcard(relative) else { return "\(label)/\(relative)" }
        var escaped = ""
        for c in relative {
            switch c {
            case "*", "?", "[": escaped += "[\(c)]"
            case "\\": escaped += "\\\\"
            default: escaped.append(c)
            }
        }
        return "\(label)/./\(escaped)"
    }

    /// A collector message with the link names replaced by the paths they
    /// stand for, so the person can open the file.
    func realPaths(in message: String) -> String {
        var out = message
        for (label, path) in targets {
            out = out.replacingOccurrences(of: "\(label)/", with: path.hasSuffix("/") ? path : "\(path)/")
                .replacingOccurrences(of: "\(label):", with: "\(path):")
        }
        return out
    }

    /// Deletes the scratch folder (the links, not what they point at).
    func remove() {
        try? FileManager.default.removeItem(atPath: directory)
    }
}
