import AnnealFiles
import Crypto
import Foundation

/// Streams a file through SHA-256 with large reads, so hashing runs at the
/// speed of the hash, not of small I/O.
public enum FileHasher {
    static let chunk = 4 << 20

    /// The digest of the file at `path`; throws if it cannot be read.
    public static func digest(of path: String) throws -> Digest {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw StoreError.unreadable(path, String(cString: strerror(errno))) }
        defer { close(fd) }
        return try digest(fd: fd, path: path)
    }

    static func digest(fd: Int32, path: String, copyTo out: Int32? = nil) throws -> Digest {
        var hasher = SHA256()
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: chunk, alignment: 64)
        defer { buffer.deallocate() }
        while true {
            let n = read(fd, buffer.baseAddress, chunk)
            if n < 0 {
                if errno == EINTR { continue }
                throw StoreError.unreadable(path, String(cString: strerror(errno)))
            }
            if n == 0 { break }
            let slice = UnsafeRawBufferPointer(rebasing: buffer[0..<n])
            hasher.update(bufferPointer: slice)
            if let out { try FileSync.writeAll(out, slice, path: path) }
        }
        return Digest(hasher.finalize())
    }
}

/// Errors of the store and the files it reads, with what to do.
public enum StoreError: Error, CustomStringConvertible {
    case unreadable(String, String)
    case unwritable(String, String)
    case missingOutput(String, String)
    case corrupt(String)
    case symbolicLink(String, String)

    public var description: String {
        switch self {
        case .unreadable(let p, let why): return "cannot read \(p): \(why)"
        case .unwritable(let p, let why): return "cannot write \(p): \(why)"
        case .missingOutput(let name, let why): return "output '\(name)' \(why)"
        case .corrupt(let what): return "corrupt object \(what); run 'anneal fsck' and rerun the step that made it"
        case .symbolicLink(let p, let target):
            return "output \(p) is a symbolic link (to \(target)); a step's outputs must be plain files and folders, "
                + "since a link's content lives outside the store: copy the file instead (cp, not ln -s)"
        }
    }
}
