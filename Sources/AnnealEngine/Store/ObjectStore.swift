import AnnealFiles
import AnnealSpec
import Foundation

/// Content-addressed objects under `objects/sha256/ab/cdef...`, read-only once
/// written. A folder is stored as its files plus a manifest object; `trees/`
/// holds folders rebuilt from manifests with hard links, for steps to read.
public final class ObjectStore: @unchecked Sendable {
    // @unchecked: all state is on disk; writes go through unique temporary
    // names and rename, which the file system makes atomic.
    public let root: String
    let memo: HashMemo

    public init(root: String, memo: HashMemo) throws {
        self.root = root
        self.memo = memo
        for dir in ["objects/sha256", "objects/tmp", "trees"] {
            try FileManager.default.createDirectory(atPath: "\(root)/\(dir)", withIntermediateDirectories: true)
        }
    }

    public func path(of digest: Digest) -> String {
        "\(root)/objects/sha256/\(digest.hex.prefix(2))/\(digest.hex.dropFirst(2))"
    }

    public func contains(_ digest: Digest) -> Bool {
        access(path(of: digest), F_OK) == 0
    }

    func temporaryPath() -> String {
        "\(root)/objects/tmp/\(getpid())-\(UInt64.random(in: 0...UInt64.max))"
    }

    /// Moves (or copies, if `move` is false) a file into the store. A symbolic
    /// link is refused, never followed: its target may lie outside the
    /// workspace, and the store would otherwise chmod that file or keep a link
    /// whose content changes behind its digest.
    public func ingest(file source: String, move: Bool) throws -> StoredArtifact {
        try Self.refuseLink(source)
        let temp = temporaryPath()
        var digest: Digest
        if move, rename(source, temp) == 0 {
            // O_NOFOLLOW: if the name was swapped for a link after the check
            // above, the open fails instead of reading (and chmod-ing) the target.
            let fd = open(temp, O_RDONLY | O_CLOEXEC | O_NOFOLLOW)
            guard fd >= 0 else {
                let why = errno == ELOOP ? "is a symbolic link" : String(cString: strerror(errno))
                unlink(temp)
                throw StoreError.unreadable(source, why)
            }
            defer { close(fd) }
            do {
                digest = try FileHasher.digest(fd: fd, path: source)
                fchmod(fd, 0o444)
                // The step may not have flushed what it wrote; an object must
                // survive a crash whole once it has its name.
                try FileSync.flush(fd, path: source)
            } catch {
                unlink(temp)
                throw error
            }
        } else {
            let input = open(source, O_RDONLY | O_CLOEXEC | O_NOFOLLOW)
            guard input >= 0 else {
                throw StoreError.unreadable(source, errno == ELOOP ? "is a symbolic link" : String(cString: strerror(errno)))
            }
            defer { close(input) }
            let output = open(temp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0o444)
            guard output >= 0 else { throw StoreError.unwritable(temp, String(cString: strerror(errno))) }
            do {
                digest = try FileHasher.digest(fd: input, path: source, copyTo: output)
                try FileSync.flush(output, path: temp)
                close(output)
            } catch {
                close(output)
                unlink(temp)
                throw error
            }
        }
        let size = Int64(HashMemo.stamp(temp)?.size ?? 0)
        try place(temp, as: digest)
        return StoredArtifact(digest: digest, shape: .file, size: size)
    }

    /// Throws if `path` is a symbolic link (checked with lstat, so the link is
    /// not followed).
    static func refuseLink(_ path: String) throws {
        var st = stat()
        guard lstat(path, &st) == 0 else { throw StoreError.unreadable(path, String(cString: strerror(errno))) }
        if st.st_mode & S_IFMT == S_IFLNK {
            let target = (try? FileManager.default.destinationOfSymbolicLink(atPath: path)) ?? "?"
            throw StoreError.symbolicLink(path, target)
        }
    }

    /// Stores text (a manifest) as an object.
    func ingest(text: String) throws -> Digest {
        let data = Data(text.utf8)
        let digest = Digest.of(data)
        if isIntact(digest) { return digest }
        let temp = temporaryPath()
        try AtomicFile.write(data, to: temp, mode: 0o444)
        try place(temp, as: digest)
        return digest
    }

    /// Renames a finished, read-only temporary file to its digest's place. An
    /// object already there is kept only if it is intact; a corrupt one is
    /// replaced by these bytes, which is how a rerun repairs the store.
    func place(_ temp: String, as digest: Digest) throws {
        let final = path(of: digest)
        if access(final, F_OK) == 0 {
            if isIntact(digest) {
                unlink(temp)
                return
            }
            unlink(final)
            try? FileManager.default.removeItem(atPath: "\(root)/trees/\(digest.hex)")
        }
        try FileManager.default.createDirectory(atPath: (final as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        guard rename(temp, final) == 0 else {
            let why = String(cString: strerror(errno))
            unlink(temp)
            throw StoreError.unwritable(final, why)
        }
        try FileSync.flushFolder(of: final)
        // Remember the fresh object's stamp, so checking it later is cheap.
        _ = try? memo.digest(of: final)
    }

    /// Stores every file of a folder and its manifest. Symbolic links and
    /// special files are refused: an artifact is plain files.
    public func ingest(directory: String, move: Bool) throws -> StoredArtifact {
        var entries: [DirectoryManifest.Entry] = []
        let fm = FileManager.default
        try Self.refuseLink(directory)
        guard let walker = fm.enumerator(atPath: directory) else { throw StoreError.unreadable(directory, "not a folder") }
        var files: [String] = []
        while let relative = walker.nextObject() as? String {
            let full = "\(directory)/\(relative)"
            var st = stat()
            guard lstat(full, &st) == 0 else { throw StoreError.unreadable(full, String(cString: strerror(errno))) }
            switch st.st_mode & S_IFMT {
            case S_IFDIR: continue
            case S_IFREG: files.append(relative)
            case S_IFLNK: throw StoreError.symbolicLink(full, (try? fm.destinationOfSymbolicLink(atPath: full)) ?? "?")
            default: throw StoreError.missingOutput(relative, "is not a plain file (special files cannot be stored)")
            }
        }
        for relative in files.sorted() {
            let full = "\(directory)/\(relative)"
            let executable = access(full, X_OK) == 0
            let stored = try ingest(file: full, move: move)
            entries.append(.init(path: relative, executable: executable, size: stored.size, digest: stored.digest))
        }
        let manifest = DirectoryManifest(entries: entries)
        let digest = try ingest(text: manifest.text)
        return StoredArtifact(digest: digest, shape: .directory, size: manifest.size)
    }

    public func manifest(_ digest: Digest) throws -> DirectoryManifest {
        guard let text = try? String(contentsOfFile: path(of: digest), encoding: .utf8),
              let manifest = DirectoryManifest(text: text) else { throw StoreError.corrupt(digest.short) }
        return manifest
    }

    /// Whether an object is present and its content still hashes to its name.
    /// Unchanged objects are checked through the stamp memo without reading them.
    public func isIntact(_ digest: Digest, thorough: Bool = false) -> Bool {
        let p = path(of: digest)
        if thorough { return (try? FileHasher.digest(of: p)) == digest }
        return (try? memo.digest(of: p)) == digest
    }

    /// Whether an artifact (and, for a folder, every file in it) is intact.
    public func isIntact(_ artifact: StoredArtifact, thorough: Bool = false) -> Bool {
        guard isIntact(artifact.digest, thorough: thorough) else { return false }
        if artifact.shape == .file { return true }
        guard let m = try? manifest(artifact.digest) else { return false }
        return m.entries.allSatisfy { isIntact($0.digest, thorough: thorough) }
    }

    /// Removes whatever of an artifact is corrupt (the object, or a folder's
    /// manifest or files), so bad bytes never linger in the store: a rerun
    /// that makes the same bytes puts them back, one that does not (a
    /// measured speed in a metrics file) leaves nothing corrupt behind.
    public func removeCorrupt(_ artifact: StoredArtifact) {
        if artifact.shape == .directory, let m = try? manifest(artifact.digest) {
            for e in m.entries where access(path(of: e.digest), F_OK) == 0 && !isIntact(e.digest) { remove(e.digest) }
        }
        if access(path(of: artifact.digest), F_OK) == 0 && !isIntact(artifact.digest) { remove(artifact.digest) }
    }

    /// A path where a step can read the artifact: the object itself for a file,
    /// a folder of hard links (made once) for a folder.
    public func readablePath(_ artifact: StoredArtifact) throws -> String {
        if artifact.shape == .file { return path(of: artifact.digest) }
        let tree = "\(root)/trees/\(artifact.digest.hex)"
        if access(tree, F_OK) == 0 { return tree }
        let temp = "\(root)/trees/.tmp-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        try materialize(artifact, at: temp, link: true)
        if rename(temp, tree) != 0 {
            try? FileManager.default.removeItem(atPath: temp)
            if access(tree, F_OK) != 0 { throw StoreError.unwritable(tree, String(cString: strerror(errno))) }
        }
        return tree
    }

    /// Writes the artifact at `destination` (which must not exist): hard links
    /// into the store when `link`, copies otherwise.
    public func materialize(_ artifact: StoredArtifact, at destination: String, link: Bool) throws {
        let fm = FileManager.default
        func put(_ digest: Digest, _ to: String, executable: Bool) throws {
            try fm.createDirectory(atPath: (to as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
            if link, Foundation.link(path(of: digest), to) == 0 { return }
            try fm.copyItem(atPath: path(of: digest), toPath: to)
            chmod(to, executable ? 0o755 : 0o644)
        }
        if artifact.shape == .file {
            try put(artifact.digest, destination, executable: false)
            return
        }
        try fm.createDirectory(atPath: destination, withIntermediateDirectories: true)
        for e in try manifest(artifact.digest).entries {
            try put(e.digest, "\(destination)/\(e.path)", executable: e.executable)
        }
    }

    /// Every object digest in the store.
    public func allObjects() -> [Digest] {
        let base = "\(root)/objects/sha256"
        var out: [Digest] = []
        for prefix in (try? FileManager.default.contentsOfDirectory(atPath: base)) ?? [] {
            for rest in (try? FileManager.default.contentsOfDirectory(atPath: "\(base)/\(prefix)")) ?? [] {
                if let d = Digest(hex: prefix + rest) { out.append(d) }
            }
        }
        return out.sorted()
    }

    /// Removes an object (and a tree built from it); returns the bytes freed.
    @discardableResult
    public func remove(_ digest: Digest) -> Int64 {
        let p = path(of: digest)
        let size = Int64(HashMemo.stamp(p)?.size ?? 0)
        unlink(p)
        try? FileManager.default.removeItem(atPath: "\(root)/trees/\(digest.hex)")
        return size
    }
}
