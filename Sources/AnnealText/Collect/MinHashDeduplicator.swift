import Foundation

/// Near-duplicate detection with MinHash signatures and LSH banding.
///
/// - A document's shingles are its overlapping runs of `shingleSize` lower-cased
///   words (one shingle of all words if it has fewer), each hashed to 64 bits.
/// - Permutation i maps a shingle hash x to `(a_i * x + b_i) >> 32` (mod 2^64,
///   `a_i` odd, from a SplitMix64 stream seeded by `seed`): a 2-universal
///   multiply-shift family. The signature is the minimum of each over the shingles;
///   two documents agree on an entry with probability ≈ their Jaccard similarity s.
/// - LSH: the signature is cut into `bands` bands of `rows` entries; documents
///   whose band hashes coincide in at least one band become candidates, which
///   happens with probability P(candidate | s) = 1 - (1 - s^rows)^bands. The
///   false-negative rate at similarity s is therefore (1 - s^rows)^bands.
/// - A candidate is confirmed by comparing signatures: kept documents store the low
///   8 bits of each entry (b-bit MinHash), and the similarity estimate
///   Ĵ = (m/k - 2^-8) / (1 - 2^-8) (m of k entries equal) must reach the threshold.
/// - Documents are checked in source order and only kept ones are remembered, so
///   the first occurrence is the one kept. Each band key remembers only the first
///   kept document that produced it.
///
/// Memory per kept document: `numPerm` bytes of signature plus one 8-byte
/// table entry per band (about 11-21 bytes with the dictionaries' slack).
public final class MinHashDeduplicator {
    /// Similarity threshold.
    public let threshold: Double
    /// Words per shingle.
    public let shingleSize: Int
    /// Signature length.
    public let numPerm: Int
    /// LSH bands and rows per band (bands * rows <= numPerm).
    public let bands: Int
    public let rows: Int
    /// The signature function (Sendable: use it from worker threads).
    public let hasher: MinHasher
    /// One table per band: 32-bit band key -> first kept document with it.
    /// Separate tables grow one at a time, so the peak while growing stays near
    /// the size. 32 bits suffice: a new key meets an unrelated stored one with
    /// probability kept/2^32 per band (1e-4 for 400k documents), and such a
    /// spurious candidate is then rejected by the signature comparison.
    private var bandTables: [[UInt32: Int32]]
    private var kept: [UInt8] = []
    /// Kept documents remembered so far.
    public private(set) var keptCount = 0

    public init(config: DedupConfig) throws {
        let t = config.near ?? 0.8
        guard t > 0, t <= 1 else { throw TextError("dedup.near is \(t); give a similarity in (0, 1], e.g. 0.8") }
        guard config.numPerm >= 2, config.numPerm <= 4096 else {
            throw TextError("dedup.num_perm is \(config.numPerm); use 2...4096 (128 is usual)")
        }
        guard config.shingleSize >= 1, config.shingleSize <= 64 else {
            throw TextError("dedup.shingle_size is \(config.shingleSize); use 1...64 (5 is usual)")
        }
        threshold = t
        shingleSize = config.shingleSize
        numPerm = config.numPerm
        if let bands = config.bands {
            guard bands >= 1, bands <= config.numPerm else {
                throw TextError("dedup.bands is \(bands); use 1...num_perm (\(config.numPerm))")
            }
            self.bands = bands
            rows = config.numPerm / bands
        } else {
            (bands, rows) = MinHashDeduplicator.lshParameters(threshold: t, numPerm: config.numPerm)
        }
        hasher = MinHasher(numPerm: config.numPerm, shingleSize: config.shingleSize, seed: config.seed)
        bandTables = Array(repeating: [:], count: bands)
    }

    /// The (bands, rows) with bands * rows <= numPerm minimising
    /// 0.1 * (area of P(candidate) below the threshold) + 0.9 * (area of
    /// 1 - P(candidate) above it). Missed duplicates are weighted 9 times more than
    /// spurious candidates because every candidate is confirmed against its
    /// signature: a false candidate costs one comparison, a missed one stays in the
    /// corpus. For threshold 0.8 and 128 permutations this gives 14 bands of 9 rows.
    public static func lshParameters(threshold t: Double, numPerm: Int) -> (bands: Int, rows: Int) {
        func integral(_ f: (Double) -> Double, _ lo: Double, _ hi: Double) -> Double {
            let steps = 200
            let h = (hi - lo) / Double(steps)
            var sum = 0.0
            for k in 0..<steps { sum += f(lo + (Double(k) + 0.5) * h) }
            return sum * h
        }
        var best = (error: Double.infinity, bands: 1, rows: numPerm)
        for bands in 1...numPerm {
            for rows in 1...(numPerm / bands) {
                let fp = integral({ candidateProbability(similarity: $0, bands: bands, rows: rows) }, 0, t)
                let fn = integral({ 1 - candidateProbability(similarity: $0, bands: bands, rows: rows) }, t, 1)
                let error = 0.1 * fp + 0.9 * fn
                if error < best.error { best = (error, bands, rows) }
            }
        }
        return (best.bands, best.rows)
    }

    /// P(two documents of Jaccard similarity s become LSH candidates) = 1 - (1 - s^r)^b.
    public static func candidateProbability(similarity s: Double, bands: Int, rows: Int) -> Double {
        1 - pow(1 - pow(s, Double(rows)), Double(bands))
    }

    /// The false-negative rate at similarity s for these settings: (1 - s^r)^b.
    public func falseNegativeRate(atSimilarity s: Double) -> Double {
        1 - MinHashDeduplicator.candidateProbability(similarity: s, bands: bands, rows: rows)
    }

    /// Whether the document is a near duplicate of a kept one; if not, it is kept
    /// (remembered). Call in source order.
    public func checkAndInsert(_ sig: [UInt32]) -> Bool {
        var keys: [UInt32] = []
        keys.reserveCapacity(bands)
        let bits = sig.map { UInt8(truncatingIfNeeded: $0) }
        for band in 0..<bands {
            let key = UInt32(truncatingIfNeeded: sig.withUnsafeBytes { raw in
                Hash64.hash(UnsafeRawBufferPointer(rebasing: raw[(band * rows * 4)..<((band + 1) * rows * 4)]),
                            seed: UInt64(band) &+ 0x4C53_4800)
            })
            keys.append(key)
            if let doc = bandTables[band][key], similarity(bits, Int(doc)) >= threshold { return true }
        }
        let id = Int32(keptCount)
        keptCount += 1
        kept.append(contentsOf: bits)
        for (band, key) in keys.enumerated() where bandTables[band][key] == nil { bandTables[band][key] = id }
        return false
    }

    /// Estimated Jaccard similarity from the 8-bit signature entries.
    private func similarity(_ bits: [UInt8], _ doc: Int) -> Double {
        var equal = 0
        let base = doc * numPerm
        kept.withUnsafeBufferPointer { k in
            for i in 0..<numPerm where k[base + i] == bits[i] { equal += 1 }
        }
        let collision = 1.0 / 256
        return (Double(equal) / Double(numPerm) - collision) / (1 - collision)
    }
}
