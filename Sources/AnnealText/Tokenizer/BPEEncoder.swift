#if canImport(Glibc)
import Glibc
#else
import Darwin
#endif

/// Encodes text with a `BPETokenizer`, remembering the ids of every piece it
/// has seen (most pieces of real text repeat, so most lookups skip the merges).
///
/// Not thread-safe: keep one per thread. Same tokenizer and text give the same
/// ids whatever the cache holds.
public final class BPEEncoder {
    /// The tokenizer this encoder applies.
    public let tokenizer: BPETokenizer
    /// Piece bytes -> entry; entry i's ids are cachedIds[idStarts[i] ..< idStarts[i + 1]].
    private var cache = ByteStringTable(capacity: 4096)
    private var cachedIds: [Int32] = []
    private var idStarts: [Int] = [0]
    /// Pieces longer than this are merged every time, not cached (they are rare
    /// and would fill the cache).
    private let maxCachedPieceBytes = 128
    /// Pieces of at most this many symbols are merged by the quadratic scan,
    /// longer ones through the heap (internal so tests can check both agree).
    var quadraticMergeLimit = 24
    /// The cache is emptied when its arena passes this many bytes, bounding memory.
    private let maxCacheBytes = 64 << 20
    /// Added tokens by first byte, longest first, for `allowSpecial`.
    private let specialsByFirstByte: [[(bytes: [UInt8], id: Int)]]
    // Scratch for merging one piece.
    private var symbols: [Int32] = []
    private var heap = MinHeap<UInt64>()
    private var prev: [Int32] = []
    private var next: [Int32] = []

    init(tokenizer: BPETokenizer) {
        self.tokenizer = tokenizer
        var table = [[(bytes: [UInt8], id: Int)]](repeating: [], count: 256)
        for t in tokenizer.addedTokens {
            let b = Array(t.content.utf8)
            guard let f = b.first else { continue }
            table[Int(f)].append((b, t.id))
        }
        for i in 0..<256 { table[i].sort { $0.bytes.count > $1.bytes.count } }
        specialsByFirstByte = table
    }

    /// Token ids of `text`; added tokens are matched only when `allowSpecial` is true.
    public func encode(_ text: String, allowSpecial: Bool = false) -> [Int] {
        var out: [Int] = []
        out.reserveCapacity(text.utf8.count / 3 + 4)
        append(text, allowSpecial: allowSpecial, to: &out)
        return out
    }

    /// Appends the token ids of `text` to `out`.
    public func append(_ text: String, allowSpecial: Bool = false, to out: inout [Int]) {
        var t = text
        t.withUTF8 { append(utf8: $0, allowSpecial: allowSpecial, to: &out) }
    }

    /// Appends the token ids of valid UTF-8 bytes to `out`.
    public func append(utf8 text: UnsafeBufferPointer<UInt8>, allowSpecial: Bool = false, to out: inout [Int]) {
        guard let base = text.baseAddress, text.count > 0 else { return }
        if !allowSpecial || tokenizer.addedTokens.isEmpty {
            appendOrdinary(base, 0, text.count, to: &out)
            return
        }
        var segmentStart = 0
        var i = 0
        while i < text.count {
            if let (len, id) = special(at: i, base, text.count) {
                appendOrdinary(base, segmentStart, i, to: &out)
                out.append(id)
                i += len
                segmentStart = i
            } else {
                i += 1
            }
        }
        appendOrdinary(base, segmentStart, text.count, to: &out)
    }

    private func special(at i: Int, _ p: UnsafePointer<UInt8>, _ n: Int) -> (Int, Int)? {
        for (bytes, id) in specialsByFirstByte[Int(p[i])] where i + bytes.count <= n {
            let same = bytes.withUnsafeBufferPointer { memcmp($0.baseAddress!, p + i, bytes.count) == 0 }
            if same { return (bytes.count, id) }
        }
        return nil
    }

    /// Encodes text without added tokens: pre-tokenise, then each piece via the cache.
    /// With `addPrefixSpace`, a segment (text between added tokens) that does
    /// not start with a space gets one, as Hugging Face's ByteLevel does per split.
    private func appendOrdinary(_ p: UnsafePointer<UInt8>, _ start: Int, _ end: Int, to out: inout [Int]) {
        guard start < end else { return }
        if tokenizer.addPrefixSpace && p[start] != 0x20 {
            let copy = [0x20] + Array(UnsafeBufferPointer(start: p + start, count: end - start))
            copy.withUnsafeBufferPointer { c in
                GPT2PreTokenizer.split(c) { s, e in appendPiece(c.baseAddress! + s, e - s, to: &out) }
            }
            return
        }
        GPT2PreTokenizer.split(UnsafeBufferPointer(start: p + start, count: end - start)) { s, e in
            appendPiece(p + start + s, e - s, to: &out)
        }
    }

    /// Appends the ids of one pre-tokenized piece (its bytes as the model sees
    /// them: raw text bytes for byte-level BPE, UTF-8 with `▁` for SentencePiece-style).
    func appendPiece(_ piece: [UInt8], to out: inout [Int]) {
        piece.withUnsafeBufferPointer { b in
            if let base = b.baseAddress, b.count > 0 { appendPiece(base, b.count, to: &out) }
        }
    }

    @inline(__always)
    private func appendPiece(_ p: UnsafePointer<UInt8>, _ n: Int, to out: inout [Int]) {
        if n == 1 && tokenizer.characterSymbols == nil {
            let id = tokenizer.byteToken[Int(p[0])]
            if id >= 0 { out.append(Int(id)) }
            return
        }
        if n > maxCachedPieceBytes {
            mergePiece(p, n)
            for s in symbols { out.append(Int(s)) }
            return
        }
        if let e = cache.find(p, count: n) {
            let s = idStarts[e], t = idStarts[e + 1]
            cachedIds.withUnsafeBufferPointer { ids in
                for k in s..<t { out.append(Int(ids[k])) }
            }
            return
        }
        mergePiece(p, n)
        if cache.arenaBytes > maxCacheBytes {
            cache.removeAll()
            cachedIds.removeAll(keepingCapacity: true)
            idStarts = [0]
        }
        _ = cache.findOrInsert(p, count: n)
        cachedIds.append(contentsOf: symbols)
        idStarts.append(cachedIds.count)
        for s in symbols { out.append(Int(s)) }
    }

    /// Leaves in `symbols` the ids of one piece: its bytes' tokens, then merges
    /// applied lowest rank first, leftmost first among equal ranks (as Hugging
    /// Face's BPE does).
    private func mergePiece(_ p: UnsafePointer<UInt8>, _ n: Int) {
        symbols.removeAll(keepingCapacity: true)
        if tokenizer.ignoreMerges, let whole = tokenizer.idOfBytes[Array(UnsafeBufferPointer(start: p, count: n))] {
            symbols.append(Int32(whole))
            return
        }
        if let characters = tokenizer.characterSymbols {
            appendCharacterSymbols(p, n, characters)
        } else {
            for k in 0..<n {
                let id = tokenizer.byteToken[Int(p[k])]
                if id >= 0 { symbols.append(id) }
            }
        }
        if symbols.count < 2 { return }
        if symbols.count <= quadraticMergeLimit { mergeShort() } else { mergeLong() }
    }

    /// First symbols of a piece of a character vocabulary (see `CharacterSymbols`).
    private func appendCharacterSymbols(_ p: UnsafePointer<UInt8>, _ n: Int, _ characters: CharacterSymbols) {
        var k = 0
        var lastWasUnknown = false
        while k < n {
            let lead = p[k]
            let length = lead < 0x80 ? 1 : lead < 0xE0 ? 2 : lead < 0xF0 ? 3 : 4
            let end = min(n, k + length)
            let bytes = Array(UnsafeBufferPointer(start: p + k, count: end - k))
            defer { k = end }
            if let id = tokenizer.idOfBytes[bytes] {
                symbols.append(Int32(id))
                lastWasUnknown = false
                continue
            }
            if !characters.byteFallbackTokens.isEmpty, bytes.allSatisfy({ characters.byteFallbackTokens[Int($0)] >= 0 }) {
                for b in bytes { symbols.append(characters.byteFallbackTokens[Int(b)]) }
                lastWasUnknown = false
                continue
            }
            guard let unknown = characters.unknownToken else { continue }
            if !(characters.fuseUnknown && lastWasUnknown) { symbols.append(Int32(unknown)) }
            lastWasUnknown = true
        }
    }

    @inline(__always)
    private func rankAndResult(_ a: Int32, _ b: Int32) -> UInt64? {
        tokenizer.mergeTable[UInt64(UInt32(bitPattern: a)) << 32 | UInt64(UInt32(bitPattern: b))]
    }

    /// Quadratic scan, fastest for the short pieces that make up most text.
    private func mergeShort() {
        while symbols.count > 1 {
            var best = UInt64.max
            var at = -1
            for i in 0..<(symbols.count - 1) {
                if let v = rankAndResult(symbols[i], symbols[i + 1]), v < best { best = v; at = i }
            }
            if at < 0 { return }
            symbols[at] = Int32(truncatingIfNeeded: best & 0xFFFF_FFFF)
            symbols.remove(at: at + 1)
        }
    }

    /// Linked list plus a min-heap of (rank, position): O(n log n) for long
    /// pieces (a run of thousands of letters must not take quadratic time).
    private func mergeLong() {
        let n = symbols.count
        prev = (0..<n).map { Int32($0) - 1 }
        next = (0..<n).map { $0 + 1 < n ? Int32($0 + 1) : -1 }
        heap.removeAll()
        for i in 0..<(n - 1) {
            if let v = rankAndResult(symbols[i], symbols[i + 1]) { heap.push((v & 0xFFFF_FFFF_0000_0000) | UInt64(i)) }
        }
        var alive = [Bool](repeating: true, count: n)
        while let top = heap.pop() {
            let rank = top >> 32
            let i = Int(top & 0xFFFF_FFFF)
            guard alive[i], next[i] >= 0 else { continue }
            let j = Int(next[i])
            guard let v = rankAndResult(symbols[i], symbols[j]), v >> 32 == rank else { continue }
            symbols[i] = Int32(truncatingIfNeeded: v & 0xFFFF_FFFF)
            alive[j] = false
            next[i] = next[j]
            if next[j] >= 0 { prev[Int(next[j])] = Int32(i) }
            if prev[i] >= 0, let w = rankAndResult(symbols[Int(prev[i])], symbols[i]) {
                heap.push((w & 0xFFFF_FFFF_0000_0000) | UInt64(prev[i]))
            }
            if next[i] >= 0, let w = rankAndResult(symbols[i], symbols[Int(next[i])]) {
                heap.push((w & 0xFFFF_FFFF_0000_0000) | UInt64(i))
            }
        }
        var merged: [Int32] = []
        var k = 0
        while k >= 0 { merged.append(symbols[k]); k = Int(next[k]) }
        symbols = merged
    }
}
