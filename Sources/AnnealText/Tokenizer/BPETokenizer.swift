/// A byte-level BPE tokenizer (GPT-2 style): GPT-2 pre-tokenisation, merges
/// applied by rank inside each piece, and whole-string added tokens.
///
/// It is immutable and safe to share between threads. `encode` is a
/// convenience that builds a throw-away `BPEEncoder`; code that encodes a lot of
/// text should keep one `BPEEncoder` per thread (`makeEncoder()`), whose
/// pre-token cache is what makes encoding fast.
public final class BPETokenizer: Sendable {
    /// Token id -> the bytes it stands for (an added token: its UTF-8 text).
    /// Ids absent from the vocabulary hold an empty array.
    public let tokenBytes: [[UInt8]]
    /// Merges by rank: rank `r` joins `merges[r].0` and `merges[r].1` into `mergeResults[r]`.
    public let merges: [(Int, Int)]
    let mergeResults: [Int]
    /// Added tokens (special and chat markers), in id order.
    public let addedTokens: [AddedToken]
    /// Whether a space is put before text (each segment between added tokens)
    /// that does not start with one (ByteLevel `add_prefix_space`; false for
    /// GPT-2 and for tokenizers trained here).
    public let addPrefixSpace: Bool
    /// Whether a piece that is itself a token is taken whole before any merge
    /// (BPE `ignore_merges`, used by some newer Hugging Face tokenizers).
    public let ignoreMerges: Bool
    /// For a vocabulary of characters (SentencePiece-style BPE), how a piece
    /// becomes its first symbols: one per character, with byte tokens or the
    /// unknown token for characters the vocabulary lacks. Nil for byte-level BPE,
    /// whose first symbols are the piece's bytes.
    public let characterSymbols: CharacterSymbols?

    /// (left << 32 | right) -> (rank << 32 | result).
    let mergeTable: [UInt64: UInt64]
    /// Token id of each single byte, or -1 if the vocabulary lacks it.
    let byteToken: [Int32]
    /// Byte string -> id, for `ignoreMerges` and lookups by text.
    let idOfBytes: [[UInt8]: Int]

    /// Builds a tokenizer from byte-level parts. Throws if a merge names an
    /// unknown token or an added token collides with a different vocabulary entry.
    public init(tokenBytes: [[UInt8]], merges: [(Int, Int)], addedTokens: [AddedToken],
                addPrefixSpace: Bool = false, ignoreMerges: Bool = false,
                characterSymbols: CharacterSymbols? = nil) throws {
        var table = tokenBytes
        for t in addedTokens {
            guard t.id >= 0 else { throw TextError("added token '\(t.content)' has negative id \(t.id)") }
            if t.id >= table.count { table += Array(repeating: [], count: t.id + 1 - table.count) }
            let bytes = Array(t.content.utf8)
            if !table[t.id].isEmpty && table[t.id] != bytes {
                throw TextError("added token '\(t.content)' has id \(t.id), which the vocabulary gives to another token; give it a free id")
            }
            table[t.id] = bytes
        }
        var idOf: [[UInt8]: Int] = [:]
        idOf.reserveCapacity(table.count)
        for (i, b) in table.enumerated() where !b.isEmpty && idOf[b] == nil { idOf[b] = i }
        var mt: [UInt64: UInt64] = [:]
        mt.reserveCapacity(merges.count)
        var results: [Int] = []
        results.reserveCapacity(merges.count)
        for (rank, (a, b)) in merges.enumerated() {
            guard a >= 0, a < table.count, b >= 0, b < table.count, !table[a].isEmpty, !table[b].isEmpty else {
                throw TextError("merge \(rank) joins token ids \(a) and \(b), which are not in the vocabulary")
            }
            guard let r = idOf[table[a] + table[b]] else {
                throw TextError("merge \(rank) ('\(ByteLevelAlphabet.encode(table[a]))' + '\(ByteLevelAlphabet.encode(table[b]))') makes a token that is not in the vocabulary")
            }
            let key = UInt64(a) << 32 | UInt64(b)
            if mt[key] == nil { mt[key] = UInt64(rank) << 32 | UInt64(r) }
            results.append(r)
        }
        var bt = [Int32](repeating: -1, count: 256)
        for b in 0..<256 { if let id = idOf[[UInt8(b)]] { bt[b] = Int32(id) } }
        self.tokenBytes = table
        self.merges = merges
        self.mergeResults = results
        self.addedTokens = addedTokens.sorted { $0.id < $1.id }
        self.addPrefixSpace = addPrefixSpace
        self.ignoreMerges = ignoreMerges
        self.characterSymbols = characterSymbols
        self.mergeTable = mt
        self.byteToken = bt
        self.idOfBytes = idOf
    }

    /// Number of ids (one more than the largest id).
    public var vocabularySize: Int { tokenBytes.count }

    /// The id of an added token such as `<|endoftext|>`, or nil if this tokenizer has none.
    public func tokenId(forSpecial content: String) -> Int? {
        addedTokens.first { $0.content == content }?.id
    }

    /// The id of the token spelled by `bytes`, if the vocabulary has one.
    public func tokenId(forBytes bytes: [UInt8]) -> Int? { idOfBytes[bytes] }

    /// A new encoder with its own cache; use one per thread.
    public func makeEncoder() -> BPEEncoder { BPEEncoder(tokenizer: self) }

    /// Token ids of `text`. Added tokens (`<|endoftext|>`, `<|im_start|>`, ...)
    /// are recognised only when `allowSpecial` is true; otherwise their
    /// characters are encoded like any other text.
    public func encode(_ text: String, allowSpecial: Bool = false) -> [Int] {
        makeEncoder().encode(text, allowSpecial: allowSpecial)
    }

    /// The bytes the ids stand for. Throws on an id outside the vocabulary.
    public func decodeBytes(_ ids: [Int]) throws -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(ids.count * 4)
        for id in ids {
            guard id >= 0, id < tokenBytes.count, !tokenBytes[id].isEmpty else {
                throw TextError("token id \(id) is not in the vocabulary (size \(tokenBytes.count))")
            }
            out.append(contentsOf: tokenBytes[id])
        }
        return out
    }

    /// The text the ids stand for. Byte sequences that are not valid UTF-8 (a
    /// multi-byte character cut by the end of the ids) become U+FFFD, as in
    /// Hugging Face's ByteLevel decoder (which, like this, keeps a space added by
    /// `addPrefixSpace`). Throws on an id outside the vocabulary.
    public func decode(_ ids: [Int]) throws -> String {
        String(decoding: try decodeBytes(ids), as: UTF8.self)
    }
}
