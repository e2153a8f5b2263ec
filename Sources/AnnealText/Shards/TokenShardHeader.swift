/// The 32-byte header at the start of every token shard (all fields little-endian):
///
/// | offset | size | field                                     |
/// |-------:|-----:|-------------------------------------------|
/// | 0      | 8    | magic `ANNEALTK`                          |
/// | 8      | 4    | version, 1                                |
/// | 12     | 4    | bytes per token: 2 (uint16) or 4 (uint32) |
/// | 16     | 8    | token count                               |
/// | 24     | 4    | vocabulary size                           |
/// | 28     | 4    | reserved, 0                               |
///
/// The tokens follow immediately, `count * bytesPerToken` bytes.
public struct TokenShardHeader: Equatable, Sendable {
    /// The first 8 bytes of every shard.
    public static let magic: [UInt8] = Array("ANNEALTK".utf8)
    /// The format version this code writes and reads.
    public static let currentVersion: UInt32 = 1
    /// Header length in bytes.
    public static let size = 32

    /// Format version (1).
    public var version: UInt32
    /// 2 when every id fits in uint16, else 4.
    public var bytesPerToken: Int
    /// Number of tokens in the shard.
    public var tokenCount: Int
    /// Vocabulary size of the tokenizer that wrote it.
    public var vocabularySize: Int

    public init(bytesPerToken: Int, tokenCount: Int, vocabularySize: Int) {
        version = TokenShardHeader.currentVersion
        self.bytesPerToken = bytesPerToken
        self.tokenCount = tokenCount
        self.vocabularySize = vocabularySize
    }

    /// The narrowest token width for a vocabulary.
    public static func bytesPerToken(forVocabularySize n: Int) -> Int { n <= 65536 ? 2 : 4 }

    /// The 32 header bytes.
    public var bytes: [UInt8] {
        var out = TokenShardHeader.magic
        func put<T: FixedWidthInteger>(_ v: T) { withUnsafeBytes(of: v.littleEndian) { out.append(contentsOf: $0) } }
        put(version)
        put(UInt32(bytesPerToken))
        put(UInt64(tokenCount))
        put(UInt32(vocabularySize))
        put(UInt32(0))
        return out
    }

    /// Parses and checks a header; `file` names the shard in errors.
    public init(parsing raw: UnsafeRawBufferPointer, file: String) throws {
        guard raw.count >= TokenShardHeader.size else {
            throw TextError("\(file): \(raw.count) bytes, too short for a token shard header (32 bytes)")
        }
        guard Array(raw[0..<8]) == TokenShardHeader.magic else {
            throw TextError("\(file): not an Anneal token shard (magic is not ANNEALTK)")
        }
        func u32(_ o: Int) -> UInt32 { UInt32(littleEndian: raw.loadUnaligned(fromByteOffset: o, as: UInt32.self)) }
        version = u32(8)
        guard version == TokenShardHeader.currentVersion else {
            throw TextError("\(file): token shard version \(version); this Anneal reads version \(TokenShardHeader.currentVersion)")
        }
        bytesPerToken = Int(u32(12))
        guard bytesPerToken == 2 || bytesPerToken == 4 else {
            throw TextError("\(file): token width \(bytesPerToken) bytes; expected 2 or 4")
        }
        let count = UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: 16, as: UInt64.self))
        guard count <= UInt64(Int.max / 4) else { throw TextError("\(file): token count \(count) is impossible") }
        tokenCount = Int(count)
        vocabularySize = Int(u32(24))
    }
}
