import AnnealFiles
import Foundation

/// Writes a token stream into numbered shard files `<prefix>_00000.tokens`,
/// `<prefix>_00001.tokens`, ... of at most `tokensPerShard` tokens each.
///
/// Each shard is written under a temporary name and renamed into place when
/// full or at `finish()`, so a shard file that exists is always complete.
public final class TokenShardWriter {
    /// Shard files finished so far, in order.
    public private(set) var shards: [URL] = []
    /// Tokens written in total.
    public private(set) var tokenCount = 0

    private let directory: URL
    private let prefix: String
    private let vocabularySize: Int
    private let bytesPerToken: Int
    private let tokensPerShard: Int
    /// Encoded tokens waiting to be written (flushed at 4 MiB; grows geometrically,
    /// so it is never reserved to an exact size, which would copy on every append).
    private var buffer: [UInt8] = []
    private var current: (handle: FileHandle, tmp: URL, url: URL, count: Int)?

    /// - Parameters:
    ///   - tokensPerShard: shard size in tokens (default 2^28, 512 MiB as uint16).
    public init(directory: URL, prefix: String, vocabularySize: Int, tokensPerShard: Int = 1 << 28) throws {
        guard vocabularySize > 0, vocabularySize <= Int(UInt32.max) else {
            throw TextError("token shards: vocabulary size \(vocabularySize) is out of range")
        }
        guard tokensPerShard > 0 else { throw TextError("token shards: tokens per shard must be positive") }
        self.directory = directory
        self.prefix = prefix
        self.vocabularySize = vocabularySize
        self.bytesPerToken = TokenShardHeader.bytesPerToken(forVocabularySize: vocabularySize)
        self.tokensPerShard = tokensPerShard
    }

    /// Appends tokens. Throws if an id does not fit the vocabulary.
    public func append(_ tokens: [Int]) throws {
        var i = 0
        while i < tokens.count {
            if current == nil { try openShard() }
            let room = tokensPerShard - current!.count
            let take = min(room, tokens.count - i)
            for t in tokens[i..<(i + take)] {
                guard t >= 0, t < vocabularySize else {
                    throw TextError("token shards: id \(t) is outside the vocabulary (size \(vocabularySize))")
                }
                if bytesPerToken == 2 {
                    let v = UInt16(t)
                    buffer.append(UInt8(v & 0xFF)); buffer.append(UInt8(v >> 8))
                } else {
                    withUnsafeBytes(of: UInt32(t).littleEndian) { buffer.append(contentsOf: $0) }
                }
            }
            current!.count += take
            tokenCount += take
            i += take
            if buffer.count >= 1 << 22 { try flush() }
            if current!.count == tokensPerShard { try closeShard() }
        }
    }

    /// Finishes the last shard and returns every shard file.
    @discardableResult
    public func finish() throws -> [URL] {
        if current != nil { try closeShard() }
        return shards
    }

    private func openShard() throws {
        let url = directory.appendingPathComponent(String(format: "%@_%05d.tokens", prefix, shards.count))
        let tmp = AtomicFile.temporaryURL(for: url)
        guard FileManager.default.createFile(atPath: tmp.path, contents: nil),
              let handle = FileHandle(forWritingAtPath: tmp.path) else {
            throw TextError("cannot create \(tmp.path); check that \(directory.path) exists and is writable")
        }
        current = (handle, tmp, url, 0)
        // Placeholder header; the count is filled in when the shard is closed.
        buffer = TokenShardHeader(bytesPerToken: bytesPerToken, tokenCount: 0, vocabularySize: vocabularySize).bytes
    }

    private func flush() throws {
        guard let c = current, !buffer.isEmpty else { return }
        try FileSync.writeAll(c.handle.fileDescriptor, buffer, path: c.tmp.path)
        buffer.removeAll(keepingCapacity: true)
    }

    private func closeShard() throws {
        try flush()
        guard let c = current else { return }
        let header = TokenShardHeader(bytesPerToken: bytesPerToken, tokenCount: c.count, vocabularySize: vocabularySize)
        do {
            try c.handle.seek(toOffset: 0)
            try c.handle.write(contentsOf: header.bytes)
            try c.handle.synchronize()
            try c.handle.close()
        } catch {
            throw TextError("cannot finish \(c.tmp.path): \(error.localizedDescription)")
        }
        try AtomicFile.commit(c.tmp, to: c.url)
        shards.append(c.url)
        current = nil
    }
}
