import AnnealFiles
import Dispatch
import Foundation

/// The `collect` step's work: read every source, clean, scrub, filter,
/// deduplicate and split, writing `train.jsonl`, `validation.jsonl`
/// (`test.jsonl` when `split.test > 0`) and `stats.json` into a directory.
///
/// Documents stream through in batches: per-document work (cleaning, PII,
/// filters, hashing, MinHash) runs on several threads, the order-dependent
/// decisions (dedup keeps the first occurrence) run in source order, so the
/// output is the same for any thread count. Memory holds one batch plus the
/// dedup tables, not the corpus.
public struct Collector: Sendable {
    /// The settings of the run.
    public let config: CollectConfig
    /// Documents per parallel batch.
    static let batchSize = 256

    public init(_ config: CollectConfig) { self.config = config }

    /// What the parallel stage produces for one document.
    private struct Processed {
        var text: String
        var source: String
        var charactersRead: Int
        var charactersCleaned: Int
        var pii: PIIScrubber.Counts
        var rejection: FilterReason?
        var exactKey: ExactDeduplicator.Key
        var signature: [UInt32]?
        var split: SplitAssigner.Split
    }

    /// Runs the collection. Outputs appear in `outputDirectory` (created if
    /// needed) only when the run succeeds; `stats.json` is written last.
    @discardableResult
    public func run(outputDirectory: URL) throws -> CollectStats {
        guard config.maxDocumentBytes > 0 else {
            throw TextError("max_document_bytes is \(config.maxDocumentBytes); give a positive size in bytes")
        }
        let cleaner = TextCleaner(config: config.cleaning)
        let scrubber = PIIScrubber(config: config.pii)
        let filter = QualityFilter(config: config.filters)
        let splitter = try SplitAssigner(config: config.split)
        let near = config.dedup.near == nil ? nil : try MinHashDeduplicator(config: config.dedup)
        var exact = ExactDeduplicator()
        let stream = try DocumentStream(config: config)
        let threads = max(1, config.threads ?? ProcessInfo.processInfo.activeProcessorCount)

        do {
            try FileManager.default.createDirectory(at: outputDirectory, withIntermediateDirectories: true)
        } catch {
            throw TextError("cannot create output directory \(outputDirectory.path): \(error.localizedDescription)")
        }
        var writers: [SplitAssigner.Split: JSONLWriter] = [:]
        var splits: [SplitAssigner.Split] = [.train, .validation]
        if config.split.test > 0 { splits.append(.test) }
        do {
            for s in splits { writers[s] = try JSONLWriter(url: outputDirectory.appendingPathComponent("\(s.rawValue).jsonl")) }
        } catch {
            writers.values.forEach { $0.discard() }
            throw error
        }

        var stats = CollectStats()
        stats.files = stream.files.count
        if let near {
            stats.nearDedup = CollectStats.NearDedup(
                threshold: near.threshold, shingleSize: near.shingleSize, numPerm: near.numPerm,
                bands: near.bands, rows: near.rows,
                falseNegativeRateAtThreshold: near.falseNegativeRate(atSimilarity: near.threshold),
                falseNegativeRateAt090: near.falseNegativeRate(atSimilarity: 0.9),
                falseNegativeRateAt095: near.falseNegativeRate(atSimilarity: 0.95))
        }
        let exactOn = config.dedup.exact
        do {
            var batch: [DocumentStream.Document] = []
            var done = false
            while !done {
                batch.removeAll(keepingCapacity: true)
                while batch.count < Collector.batchSize, let d = try stream.next() { batch.append(d) }
                done = batch.count < Collector.batchSize
                if batch.isEmpty { break }
                let slots = ResultSlots<Processed>(count: batch.count)
                let input = batch
                let workers = min(threads, batch.count)
                let hasher = near?.hasher
                DispatchQueue.concurrentPerform(iterations: workers) { w in
                    var k = w
                    while k < input.count {
                        let d = input[k]
                        let cleanText = cleaner.clean(d.text)
                        let (text, pii) = scrubber.scrub(cleanText)
                        let (rejection, words, characters) = filter.evaluate(text)
                        var signature: [UInt32]?
                        if rejection == nil, let hasher {
                            signature = hasher.signature(words: words.map(\.hash))
                        }
                        slots.set(k, Processed(
                            text: text, source: d.source, charactersRead: Collector.scalarCount(d.text),
                            charactersCleaned: characters, pii: pii, rejection: rejection,
                            exactKey: rejection == nil && exactOn ? ExactDeduplicator.key(text) : ExactDeduplicator.Key(high: 0, low: 0),
                            signature: signature, split: splitter.split(text)))
                        k += workers
                    }
                }
                for p in slots.values() {
                    stats.read.add(p.charactersRead)
                    stats.cleaned.add(p.charactersCleaned)
                    if p.charactersCleaned == 0 { stats.emptyAfterCleaning += 1 }
                    stats.pii.emails += p.pii.emails
                    stats.pii.phones += p.pii.phones
                    stats.pii.ipAddresses += p.pii.ipAddresses
                    if p.pii.total > 0 { stats.piiDocuments += 1 }
                    if let r = p.rejection { stats.removedByFilter[r.rawValue, default: 0] += 1; continue }
                    stats.filtered.add(p.charactersCleaned)
                    if exactOn && exact.checkAndInsert(p.exactKey) { stats.exactDuplicatesRemoved += 1; continue }
                    if let near, let sig = p.signature, near.checkAndInsert(sig) { stats.nearDuplicatesRemoved += 1; continue }
                    stats.deduplicated.add(p.charactersCleaned)
                    switch p.split {
                    case .train: stats.train.add(p.charactersCleaned)
                    case .validation: stats.validation.add(p.charactersCleaned)
                    case .test: stats.test.add(p.charactersCleaned)
                    }
                    try writers[p.split]!.write(text: p.text, source: p.source)
                }
            }
            stats.errors = stream.errors
            stats.bytesRead = stream.bytesRead
            for s in splits { try writers[s]!.commit() }
        } catch {
            writers.values.forEach { $0.discard() }
            throw error
        }
        try Collector.writeStats(stats, to: outputDirectory.appendingPathComponent("stats.json"))
        return stats
    }

    /// Unicode scalars in a string: its UTF-8 bytes that are not continuation bytes.
    static func scalarCount(_ text: String) -> Int {
        var t = text
        return t.withUTF8 { b in
            var n = 0
            for c in b where c & 0xC0 != 0x80 { n += 1 }
            return n
        }
    }

    /// Writes stats as sorted, indented JSON, atomically.
    static func writeStats<T: Encodable>(_ stats: T, to url: URL) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        let data: Data
        do { data = try encoder.encode(stats) } catch {
            throw TextError("cannot encode \(url.lastPathComponent): \(error)")
        }
        try AtomicFile.write(data + Data("\n".utf8), to: url)
    }
}
