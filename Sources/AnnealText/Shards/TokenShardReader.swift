import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Random access to the tokens of one shard, memory-mapped (the file is not
/// read into memory; pages come in as windows are touched).
///
/// Typical use by training code: pick a start `s` in `0 ..< count - (T + 1)` and
/// read `window(at: s, length: T + 1)` for inputs and shifted targets.
public final class TokenShardReader: @unchecked Sendable {
    /// The shard file.
    public let url: URL
    /// The parsed header.
    public let header: TokenShardHeader
    private let mapping: UnsafeMutableRawPointer
    private let mappedBytes: Int

    /// Number of tokens in the shard.
    public var count: Int { header.tokenCount }

    /// Maps a shard and checks its header and size.
    public init(url: URL) throws {
        self.url = url
        let fd = open(url.path, O_RDONLY)
        guard fd >= 0 else {
            throw TextError("cannot open token shard \(url.path): \(String(cString: strerror(errno)))")
        }
        defer { close(fd) }
        var st = stat()
        guard fstat(fd, &st) == 0 else { throw TextError("cannot stat \(url.path)") }
        let size = Int(st.st_size)
        guard size >= TokenShardHeader.size else {
            throw TextError("\(url.path): \(size) bytes, too short for a token shard header (32 bytes)")
        }
        guard let m = mmap(nil, size, PROT_READ, MAP_PRIVATE, fd, 0), m != MAP_FAILED else {
            throw TextError("cannot map \(url.path): \(String(cString: strerror(errno)))")
        }
        do {
            let h = try TokenShardHeader(parsing: UnsafeRawBufferPointer(start: m, count: TokenShardHeader.size), file: url.path)
            let expected = TokenShardHeader.size + h.tokenCount * h.bytesPerToken
            guard size == expected else {
                throw TextError("\(url.path): \(size) bytes but the header promises \(h.tokenCount) tokens (\(expected) bytes); the shard is truncated or corrupt, rebuild it")
            }
            header = h
        } catch {
            munmap(m, size)
            throw error
        }
        mapping = m
        mappedBytes = size
    }

    deinit { munmap(mapping, mappedBytes) }

    /// The token at `index` (0 ..< count).
    public subscript(index: Int) -> Int {
        precondition(index >= 0 && index < count, "token index \(index) out of 0..<\(count)")
        let p = UnsafeRawPointer(mapping) + TokenShardHeader.size
        if header.bytesPerToken == 2 {
            return Int(UInt16(littleEndian: p.loadUnaligned(fromByteOffset: index * 2, as: UInt16.self)))
        }
        return Int(UInt32(littleEndian: p.loadUnaligned(fromByteOffset: index * 4, as: UInt32.self)))
    }

    /// `length` tokens from `start`, as Int32 ready for an embedding lookup.
    /// Throws if the window does not lie inside the shard.
    public func window(at start: Int, length: Int) throws -> [Int32] {
        guard start >= 0, length >= 0, start <= count - length else {
            throw TextError("\(url.lastPathComponent): window \(start)..<\(start + length) is outside 0..<\(count)")
        }
        var out = [Int32](repeating: 0, count: length)
        let p = UnsafeRawPointer(mapping) + TokenShardHeader.size
        out.withUnsafeMutableBufferPointer { o in
            if header.bytesPerToken == 2 {
                for i in 0..<length {
                    o[i] = Int32(UInt16(littleEndian: p.loadUnaligned(fromByteOffset: (start + i) * 2, as: UInt16.self)))
                }
            } else {
                for i in 0..<length {
                    o[i] = Int32(bitPattern: UInt32(littleEndian: p.loadUnaligned(fromByteOffset: (start + i) * 4, as: UInt32.self)))
                }
            }
        }
        return out
    }

    /// The shard files `<prefix>_NNNNN.tokens` in a directory, in order.
    public static func shardURLs(in directory: URL, prefix: String) throws -> [URL] {
        let names: [String]
        do { names = try FileManager.default.contentsOfDirectory(atPath: directory.path) } catch {
            throw TextError("cannot list token shards in \(directory.path): \(error.localizedDescription)")
        }
        return names.filter { $0.hasPrefix(prefix + "_") && $0.hasSuffix(".tokens") }.sorted()
            .map { directory.appendingPathComponent($0) }
    }
}
