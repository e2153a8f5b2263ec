import AnnealFiles
import Foundation

/// Remembers file digests against (device, inode, size, mtime, ctime), so an
/// unchanged input is not read again. One file per workspace, rewritten
/// atomically when it changed.
public final class HashMemo: @unchecked Sendable {
    // @unchecked: guarded by `lock`; the runner hashes from one thread, but
    // the memo is shared with helpers that may hash concurrently.
    struct Stamp: Hashable {
        var device: UInt64
        var inode: UInt64
        var size: Int64
        var mtime: Int64
        var ctime: Int64
    }

    let file: String
    private var entries: [String: (Stamp, Digest)] = [:]
    private var dirty = false
    private let lock = NSLock()
    private var vouches = true

    /// When false (`anneal run --verify`), every digest is computed from the
    /// file's bytes: the memo then only records, it never vouches.
    public var trustsStamps: Bool {
        get { lock.lock(); defer { lock.unlock() }; return vouches }
        set { lock.lock(); vouches = newValue; lock.unlock() }
    }

    public init(file: String) {
        self.file = file
        guard let text = try? String(contentsOfFile: file, encoding: .utf8) else { return }
        for line in text.split(separator: "\n") {
            let f = line.split(separator: "\t", omittingEmptySubsequences: false)
            guard f.count == 7, let d = UInt64(f[1]), let i = UInt64(f[2]), let s = Int64(f[3]), let m = Int64(f[4]),
                  let c = Int64(f[5]), let digest = Digest(hex: String(f[6])) else { continue }
            entries[String(f[0])] = (Stamp(device: d, inode: i, size: s, mtime: m, ctime: c), digest)
        }
    }

    static func stamp(_ path: String) -> Stamp? {
        var st = stat()
        guard stat(path, &st) == 0 else { return nil }
        return Stamp(device: UInt64(st.st_dev), inode: UInt64(st.st_ino), size: Int64(st.st_size),
                     mtime: Int64(st.st_mtim.tv_sec) * 1_000_000_000 + Int64(st.st_mtim.tv_nsec),
                     ctime: Int64(st.st_ctim.tv_sec) * 1_000_000_000 + Int64(st.st_ctim.tv_nsec))
    }

    /// The digest of the file at `path` (an absolute path), from the memo when
    /// its stamp is unchanged.
    public func digest(of path: String) throws -> Digest {
        guard let stamp = Self.stamp(path) else { throw StoreError.unreadable(path, "no such file") }
        lock.lock()
        if vouches, let (known, digest) = entries[path], known == stamp {
            lock.unlock()
            return digest
        }
        lock.unlock()
        let digest = try FileHasher.digest(of: path)
        // A file modified during hashing would get a stale digest: only
        // remember it if the stamp did not move.
        if Self.stamp(path) == stamp {
            lock.lock()
            entries[path] = (stamp, digest)
            dirty = true
            lock.unlock()
        }
        return digest
    }

    /// Writes the memo if it changed.
    public func save() {
        lock.lock()
        defer { lock.unlock() }
        guard dirty else { return }
        var out = ""
        for (path, (s, d)) in entries.sorted(by: { $0.key < $1.key }) where !path.contains("\t") && !path.contains("\n") {
            out += "\(path)\t\(s.device)\t\(s.inode)\t\(s.size)\t\(s.mtime)\t\(s.ctime)\t\(d.hex)\n"
        }
        try? AtomicFile.write(Data(out.utf8), to: file)
        dirty = false
    }
}
