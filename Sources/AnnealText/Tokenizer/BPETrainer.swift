import Foundation

/// Trains a byte-level BPE the way Hugging Face's `BpeTrainer` does, so the same
/// corpus and settings give the same vocabulary and merges.
///
/// 1. Text is pre-tokenised with GPT-2's rules and the pieces ("words") counted
///    (`add`, streaming: memory grows with distinct words, not with text).
/// 2. Ids: special tokens first (0, 1, ...), then the 256 bytes in the code-point
///    order of their ByteLevel characters, then merges in the order made.
/// 3. Every adjacent pair in every word is counted once (weighted by the word's
///    count), with the list of words it occurs in.
/// 4. Repeatedly the most frequent pair is merged: **ties go to the pair whose
///    (left id, right id) is smallest**, compared left id first. Only the words
///    that contain the pair are rewritten, and the counts of the pairs they
///    lose and gain are updated (incremental counts, no recount). A max-heap
///    keyed (count, -pair) holds candidates; an entry whose count is stale is
///    re-pushed with the current count when it surfaces.
/// 5. Training stops at `vocabSize` ids or when the best pair occurs fewer than
///    `minFrequency` times. A merge whose result spells an existing token reuses
///    that token's id.
public struct BPETrainer {
    /// The settings this trainer uses.
    public let config: TokenizerTrainingConfig
    private var words = ByteStringTable(capacity: 1 << 16)
    private var wordCounts: [Int] = []

    public init(config: TokenizerTrainingConfig = TokenizerTrainingConfig()) {
        self.config = config
    }

    /// Number of distinct pre-tokens counted so far.
    public var distinctWords: Int { words.count }

    /// Counts the pre-tokens of `text`.
    public mutating func add(_ text: String) {
        var t = text
        t.withUTF8 { add(utf8: $0) }
    }

    /// Counts the pre-tokens of each line of `text` (a line keeps its "\n")
    /// separately, so whitespace runs never span a line end. This is what
    /// Hugging Face's `Tokenizer.train(files)` does, and gives its vocabulary.
    public mutating func addLines(_ text: String) {
        var t = text
        t.withUTF8 { buf in
            var start = 0
            for i in 0..<buf.count where buf[i] == 0x0A {
                add(utf8: UnsafeBufferPointer(rebasing: buf[start...i]))
                start = i + 1
            }
            if start < buf.count { add(utf8: UnsafeBufferPointer(rebasing: buf[start...])) }
        }
    }

    /// Counts every document of a JSONL file (plain or `.jsonl.gz`), such as the
    /// `train.jsonl` written by `Collector`, streaming. Returns the number of
    /// documents; a malformed line is an error naming the file and line.
    @discardableResult
    public mutating func addJSONL(_ url: URL, field: String = "text") throws -> Int {
        let stream = try DocumentStream(config: CollectConfig(sources: [SourceSpec(jsonl: [url.path], field: field)]))
        var n = 0
        while let d = try stream.next() {
            add(d.text)
            n += 1
        }
        return n
    }

    /// Counts the pre-tokens of valid UTF-8 bytes.
    public mutating func add(utf8 text: UnsafeBufferPointer<UInt8>) {
        guard let base = text.baseAddress else { return }
        GPT2PreTokenizer.split(text) { s, e in
            let (index, inserted) = words.findOrInsert(base + s, count: e - s)
            if inserted { wordCounts.append(1) } else { wordCounts[index] += 1 }
        }
    }

    /// Runs the merges and returns the tokenizer. Throws if `vocabSize` cannot
    /// hold the special tokens and the 256 bytes, or a special token is repeated.
    public func train() throws -> BPETokenizer {
        let specials = config.specialTokens
        guard Set(specials).count == specials.count else {
            throw TextError("special_tokens lists a token twice: \(specials); list each once")
        }
        guard specials.allSatisfy({ !$0.isEmpty }) else { throw TextError("special_tokens contains an empty string") }
        let base = specials.count + 256
        guard config.vocabSize >= base else {
            throw TextError("vocab_size \(config.vocabSize) is below \(base) (the \(specials.count) special tokens + 256 bytes); raise it")
        }
        guard config.vocabSize < Int(Int32.max) else { throw TextError("vocab_size \(config.vocabSize) is too large") }

        var tokenBytes: [[UInt8]] = specials.map { Array($0.utf8) }
        var idOfBytes: [[UInt8]: Int] = [:]
        var byteId = [Int32](repeating: 0, count: 256)
        for b in ByteLevelAlphabet.bytesInCharacterOrder {
            byteId[Int(b)] = Int32(tokenBytes.count)
            idOfBytes[[b]] = tokenBytes.count
            tokenBytes.append([b])
        }
        for (i, s) in specials.enumerated() where idOfBytes[Array(s.utf8)] == nil { idOfBytes[Array(s.utf8)] = i }

        var state = MergeState(words: words, wordCounts: wordCounts, byteId: byteId)
        var merges: [(Int, Int)] = []
        while tokenBytes.count < config.vocabSize {
            guard let (pair, count) = state.popBest(), count >= max(1, config.minFrequency) else { break }
            let a = Int(pair >> 32), b = Int(pair & 0xFFFF_FFFF)
            let bytes = tokenBytes[a] + tokenBytes[b]
            let id: Int
            if let existing = idOfBytes[bytes] {
                id = existing
            } else {
                id = tokenBytes.count
                tokenBytes.append(bytes)
                idOfBytes[bytes] = id
            }
            merges.append((a, b))
            state.merge(pair, into: Int32(id))
        }
        let added = specials.enumerated().map { AddedToken(id: $0.offset, content: $0.element, special: true) }
        return try BPETokenizer(tokenBytes: tokenBytes, merges: merges, addedTokens: added)
    }
}

/// The words as symbol sequences, the pair counts and the heap of a training run.
private struct MergeState {
    /// All words' symbols back to back; word w occupies
    /// symbols[start[w] ..< start[w] + length[w]] (lengths shrink as merges apply).
    var symbols: [Int32] = []
    var start: [Int] = []
    var length: [Int32] = []
    var wordCounts: [Int]
    /// pair (left << 32 | right) -> index into the arrays below.
    var pairIndex: [UInt64: Int32] = [:]
    var pairKey: [UInt64] = []
    var pairCount: [Int] = []
    /// Words that may contain the pair (duplicates and stale entries allowed).
    var pairWords: [[Int32]] = []
    var heap = MinHeap<PairCandidate>()
    /// stamp[w] == merge number: word w was already rewritten by this merge.
    var stamp: [Int32]
    var mergeNumber: Int32 = 0

    init(words: ByteStringTable, wordCounts: [Int], byteId: [Int32]) {
        self.wordCounts = wordCounts
        stamp = [Int32](repeating: -1, count: wordCounts.count)
        symbols.reserveCapacity(words.arenaBytes)
        for w in 0..<words.count {
            start.append(symbols.count)
            words.withKey(w) { key in for b in key { symbols.append(byteId[Int(b)]) } }
            length.append(Int32(symbols.count - start[w]))
        }
        for w in 0..<words.count {
            let s = start[w], n = Int(length[w])
            guard n >= 2 else { continue }
            for i in s..<(s + n - 1) {
                let p = index(of: key(symbols[i], symbols[i + 1]))
                pairCount[p] += wordCounts[w]
                if pairWords[p].last != Int32(w) { pairWords[p].append(Int32(w)) }
            }
        }
        for p in pairKey.indices where pairCount[p] > 0 { heap.push(PairCandidate(count: pairCount[p], pair: pairKey[p])) }
    }

    @inline(__always)
    func key(_ a: Int32, _ b: Int32) -> UInt64 { UInt64(UInt32(bitPattern: a)) << 32 | UInt64(UInt32(bitPattern: b)) }

    mutating func index(of pair: UInt64) -> Int {
        if let p = pairIndex[pair] { return Int(p) }
        let p = pairKey.count
        pairIndex[pair] = Int32(p)
        pairKey.append(pair)
        pairCount.append(0)
        pairWords.append([])
        return p
    }

    /// The most frequent pair with its current count (ties: smallest pair).
    mutating func popBest() -> (UInt64, Int)? {
        while let top = heap.pop() {
            let current = pairCount[Int(pairIndex[top.pair]!)]
            if current == top.count { return (top.pair, current) }
            if current > 0 { heap.push(PairCandidate(count: current, pair: top.pair)) }
        }
        return nil
    }

    /// Replaces every non-overlapping occurrence (left to right) of `pair` by
    /// `id` and updates the counts of the neighbouring pairs.
    mutating func merge(_ pair: UInt64, into id: Int32) {
        mergeNumber += 1
        let p = Int(pairIndex[pair]!)
        let a = Int32(bitPattern: UInt32(pair >> 32)), b = Int32(bitPattern: UInt32(pair & 0xFFFF_FFFF))
        let occurrences = pairWords[p]
        pairWords[p] = []
        pairCount[p] = 0
        var touched: [Int] = []
        for w32 in occurrences {
            let w = Int(w32)
            if stamp[w] == mergeNumber { continue }
            stamp[w] = mergeNumber
            let count = wordCounts[w]
            let s = start[w]
            let n = Int(length[w])
            // One left-to-right pass, compacting in place (write index <= read
            // index): linear in the word's length even when the pair occurs
            // thousands of times in it.
            var r = 0
            var out = 0
            while r < n {
                if r + 1 < n && symbols[s + r] == a && symbols[s + r + 1] == b {
                    if out > 0 {
                        let left = symbols[s + out - 1]
                        change(key(left, a), -count, w, &touched)
                        change(key(left, id), count, w, &touched)
                    }
                    symbols[s + out] = id
                    out += 1
                    r += 2
                    if r < n {
                        let right = symbols[s + r]
                        change(key(b, right), -count, w, &touched)
                        change(key(id, right), count, w, &touched)
                    }
                } else {
                    symbols[s + out] = symbols[s + r]
                    out += 1
                    r += 1
                }
            }
            length[w] = Int32(out)
        }
        for q in touched where pairCount[q] > 0 { heap.push(PairCandidate(count: pairCount[q], pair: pairKey[q])) }
    }

    @inline(__always)
    mutating func change(_ pair: UInt64, _ delta: Int, _ word: Int, _ touched: inout [Int]) {
        let q = index(of: pair)
        pairCount[q] += delta
        if delta > 0 {
            if pairWords[q].last != Int32(word) { pairWords[q].append(Int32(word)) }
            touched.append(q)
        }
    }
}

/// A candidate merge; `<` means "is merged first": larger count, then smaller pair.
private struct PairCandidate: Comparable {
    var count: Int
    var pair: UInt64

    static func < (x: PairCandidate, y: PairCandidate) -> Bool {
        x.count != y.count ? x.count > y.count : x.pair < y.pair
    }
}
