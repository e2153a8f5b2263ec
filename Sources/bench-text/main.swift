// bench-text: speed of AnnealText on a text corpus (build with -c release).
//
//   bench-text [--corpus FILE] [--vocab N] [--runs N] [--reference tokenizer.json] [--only train,encode,dedup]
//
// train   BPE training, lines fed one by one as HF does for files (vocab N, min_frequency 2, one special token <|endoftext|>,
//         as the Hugging Face harness in shared/bench/tokenizers does); seconds, median of runs.
// encode  the corpus cut into ~1 MB chunks at line ends (as bench_encode.py "chunks"),
//         encoded with a fresh encoder per run; MB/s on one thread and on all cores.
// dedup   the corpus cut into documents at blank lines, MinHash (128 permutations,
//         5-word shingles) + LSH at threshold 0.8 on one thread; documents per second.
// collect (--collect-mb N) writes an N MB JSONL of distinct documents (each
//         --collect-doc-paragraphs P, default 10, consecutive corpus paragraphs,
//         made unique by a counter; with --collect-distinct every third word is
//         also replaced by a random one, so no two documents are near duplicates
//         and dedup must remember them all) to /tmp, runs the whole
//         Collector with default settings on all cores, and reports documents/s,
//         MB/s and the peak resident memory (run it alone: --only collect).
// --hf-ids FILE checks the encoding against ids written by Hugging Face for the same chunks.
// --write FILE saves the trained tokenizer.json; --reference FILE compares it with
// (and, without train, encodes with) a tokenizer.json trained by Hugging Face.
// read    (--read-mb N, default 200) the corpus paragraphs as a JSONL file read
//         through DocumentStream on one thread; MB/s by the clock and per CPU second.
// shards  the corpus paragraphs as a JSONL file encoded into token shards by
//         CorpusEncoder on all cores (tokenizer from train, or --reference); MB/s.
// families the corpus chunks encoded on one thread by HuggingFaceTokenizer with each tokenizer.json
//         under --families DIR (default Tests/AnnealTextTests/Fixtures/families: tiny vocabularies
//         configured like Llama 3, Qwen2, SmolLM, Llama 2, Mistral, Gemma), fresh encoder per run; MB/s.
// Prints the corpus sha256 and the peak resident memory.
import AnnealText
import Dispatch
import Foundation

let args = Array(CommandLine.arguments.dropFirst())
func option(_ name: String) -> String? {
    guard let i = args.firstIndex(of: name), i + 1 < args.count else { return nil }
    return args[i + 1]
}
let corpusPath = option("--corpus") ?? "/tmp/text-bench/tokenizers/corpus10.txt"
let vocab = Int(option("--vocab") ?? "") ?? 8192
let runs = Int(option("--runs") ?? "") ?? 3
let only = Set((option("--only") ?? "train,encode,dedup").split(separator: ",").map(String.init))
let threads = ProcessInfo.processInfo.activeProcessorCount

func now() -> Double { Double(DispatchTime.now().uptimeNanoseconds) / 1e9 }
func median(_ xs: [Double]) -> Double { let s = xs.sorted(); return s.count % 2 == 1 ? s[s.count / 2] : (s[s.count / 2 - 1] + s[s.count / 2]) / 2 }
func peakRSSMiB() -> Double {
    var u = rusage()
    getrusage(RUSAGE_SELF.rawValue, &u)
    return Double(u.ru_maxrss) / 1024
}
func sha256(_ path: String) -> String {
    let p = Process()
    p.executableURL = URL(fileURLWithPath: "/usr/bin/sha256sum")
    p.arguments = [path]
    let pipe = Pipe()
    p.standardOutput = pipe
    do { try p.run() } catch { return "?" }
    p.waitUntilExit()
    return String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self).split(separator: " ").first.map(String.init) ?? "?"
}
/// CPU seconds the whole machine spent busy, from /proc/stat (as the peers' harness).
func machineBusySeconds() -> Double {
    guard let stat = try? String(contentsOfFile: "/proc/stat", encoding: .utf8),
          let line = stat.split(separator: "\n").first else { return 0 }
    let v = line.split(separator: " ").dropFirst().compactMap { Double($0) }
    guard v.count >= 8 else { return 0 }
    return (v[0] + v[1] + v[2] + v[5] + v[6] + v[7]) / Double(sysconf(Int32(_SC_CLK_TCK)))
}
func processCPUSeconds() -> Double {
    var u = rusage()
    getrusage(RUSAGE_SELF.rawValue, &u)
    return Double(u.ru_utime.tv_sec) + Double(u.ru_utime.tv_usec) / 1e6 + Double(u.ru_stime.tv_sec) + Double(u.ru_stime.tv_usec) / 1e6
}
/// Runs `body`, returning wall seconds and the cores other processes kept busy meanwhile.
func measured(_ body: () throws -> Void) rethrows -> (seconds: Double, otherLoad: Double) {
    let b0 = machineBusySeconds(), c0 = processCPUSeconds(), t0 = now()
    try body()
    let dt = now() - t0
    let other = max(0, (machineBusySeconds() - b0) - (processCPUSeconds() - c0)) / dt
    return (dt, other)
}
func fmt(_ x: Double, _ digits: Int = 3) -> String { String(format: "%.\(digits)f", x) }

guard let data = FileManager.default.contents(atPath: corpusPath) else {
    FileHandle.standardError.write(Data("bench-text: cannot read \(corpusPath); build it with shared/bench/tokenizers/make_corpus.sh\n".utf8))
    exit(1)
}
let text = String(decoding: data, as: UTF8.self)
print("corpus \(corpusPath) bytes=\(data.count) sha256=\(sha256(corpusPath))")
print("threads available: \(threads), runs: \(runs)")

// Chunks of ~1 MB cut after a newline, as bench_encode.py does.
var chunks: [String] = []
do {
    var start = text.utf8.startIndex
    var n = 0
    var i = start
    while i != text.utf8.endIndex {
        let b = text.utf8[i]
        i = text.utf8.index(after: i)
        n += 1
        if b == 0x0A && n >= 1_000_000 {
            chunks.append(String(text[start..<i])); start = i; n = 0
        }
    }
    if start != text.utf8.endIndex { chunks.append(String(text[start...])) }
}

var tokenizer: BPETokenizer?
if only.contains("train") {
    var times: [Double] = []
    var loads: [Double] = []
    for _ in 0..<runs {
        let m = try measured {
            var trainer = BPETrainer(config: TokenizerTrainingConfig(vocabSize: vocab, minFrequency: 2, specialTokens: ["<|endoftext|>"]))
            trainer.addLines(text)
            tokenizer = try trainer.train()
        }
        times.append(m.seconds)
        loads.append(m.otherLoad)
    }
    print("train vocab=\(vocab) seconds median=\(fmt(median(times))) all=\(times.map { fmt($0) }) other_load=\(loads.map { fmt($0, 2) }) peak_rss_mib=\(fmt(peakRSSMiB(), 1))")
    if let out = option("--write") { try tokenizer!.write(to: URL(fileURLWithPath: out)) }
    if let ref = option("--reference") {
        let hf = try BPETokenizer.load(contentsOf: URL(fileURLWithPath: ref))
        let same = hf.tokenBytes == tokenizer!.tokenBytes && hf.merges.elementsEqual(tokenizer!.merges, by: ==)
        print("train identical to \(ref): \(same)")
    }
}

if only.contains("encode") {
    let tok = try tokenizer ?? BPETokenizer.load(contentsOf: URL(fileURLWithPath: option("--reference") ?? "tokenizer.json"))
    var one: [Double] = []
    var oneLoad: [Double] = []
    var tokens = 0
    let mb = Double(data.count) / 1e6
    for _ in 0..<runs {
        let enc = tok.makeEncoder()
        var n = 0
        let m = measured { for c in chunks { n += enc.encode(c).count } }
        one.append(mb / m.seconds)
        oneLoad.append(m.otherLoad)
        tokens = n
    }
    print("encode 1 thread MB/s median=\(fmt(median(one))) all=\(one.map { fmt($0, 1) }) other_load=\(oneLoad.map { fmt($0, 2) }) tokens=\(tokens) bytes_per_token=\(fmt(Double(data.count) / Double(tokens), 4))")
    var all: [Double] = []
    var allLoad: [Double] = []
    for _ in 0..<runs {
        var out: [[Int]] = []
        let m = measured { out = tok.encodeBatch(chunks, threads: threads) }
        all.append(mb / m.seconds)
        allLoad.append(m.otherLoad)
        precondition(out.reduce(0) { $0 + $1.count } == tokens, "parallel encoding differs")
    }
    print("encode \(threads) threads MB/s median=\(fmt(median(all))) all=\(all.map { fmt($0, 1) }) other_load=\(allLoad.map { fmt($0, 2) })")
    if let path = option("--hf-ids"), let raw = FileManager.default.contents(atPath: path) {
        // ids written by Hugging Face tokenizers for the same chunks (little-endian uint32).
        let hf = raw.withUnsafeBytes { b in (0..<(raw.count / 4)).map { Int(UInt32(littleEndian: b.loadUnaligned(fromByteOffset: $0 * 4, as: UInt32.self))) } }
        let mine = tok.encodeBatch(chunks, threads: threads).flatMap { $0 }
        let firstDifference = zip(mine, hf).enumerated().first { $0.element.0 != $0.element.1 }?.offset
        print("encode identical to \(path): \(mine == hf) (tokens \(mine.count) vs \(hf.count), first difference at \(firstDifference.map(String.init) ?? "none"))")
    }
    let ids = tok.encode(chunks[0])
    print("decode round trip of chunk 0: \(try tok.decode(ids) == chunks[0])")
}

// Paragraphs of the corpus as documents.
func paragraphs() -> [String] {
    text.components(separatedBy: "\n\n").filter { !$0.isEmpty }
}

if only.contains("families") {
    let root = URL(fileURLWithPath: option("--families") ?? "Tests/AnnealTextTests/Fixtures/families")
    let names = try FileManager.default.contentsOfDirectory(atPath: root.path).sorted()
    let mb = Double(data.count) / 1e6
    for name in names {
        let file = root.appendingPathComponent(name).appendingPathComponent("tokenizer.json")
        guard FileManager.default.fileExists(atPath: file.path) else { continue }
        let tok = try HuggingFaceTokenizer.load(contentsOf: file)
        var speeds: [Double] = [], loads: [Double] = []
        var tokens = 0
        for _ in 0..<runs {
            let enc = tok.makeEncoder()
            var n = 0
            let m = measured { for c in chunks { n += tok.encode(c, encoder: enc).count } }
            speeds.append(mb / m.seconds)
            loads.append(m.otherLoad)
            tokens = n
        }
        print("families \(name) encode 1 thread MB/s median=\(fmt(median(speeds))) all=\(speeds.map { fmt($0, 2) }) other_load=\(loads.map { fmt($0, 2) }) tokens=\(tokens)")
    }
}

if only.contains("dedup") {
    let docs = paragraphs()
    var rates: [Double] = []
    var removed = 0
    for _ in 0..<runs {
        let dedup = try MinHashDeduplicator(config: DedupConfig(near: 0.8))
        let t0 = now()
        removed = 0
        for d in docs {
            if let sig = dedup.hasher.signature(text: d), dedup.checkAndInsert(sig) { removed += 1 }
        }
        rates.append(Double(docs.count) / (now() - t0))
    }
    let d = try MinHashDeduplicator(config: DedupConfig(near: 0.8))
    print("dedup minhash+lsh 1 thread docs/s median=\(fmt(median(rates), 0)) documents=\(docs.count) near_duplicates=\(removed) bands=\(d.bands) rows=\(d.rows) fn_rate@0.8=\(fmt(d.falseNegativeRate(atSimilarity: 0.8), 4)) fn_rate@0.9=\(fmt(d.falseNegativeRate(atSimilarity: 0.9), 4))")
}

if only.contains("collect"), let mbText = option("--collect-mb"), let mb = Int(mbText) {
    let perDoc = max(1, Int(option("--collect-doc-paragraphs") ?? "") ?? 10)
    let all = paragraphs()
    let docs = stride(from: 0, to: all.count, by: perDoc).map { all[$0..<min(all.count, $0 + perDoc)].joined(separator: "\n\n") }
    let dir = URL(fileURLWithPath: "/tmp/bench-text-collect")
    try? FileManager.default.removeItem(at: dir)
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    let input = dir.appendingPathComponent("input.jsonl")
    FileManager.default.createFile(atPath: input.path, contents: nil)
    let handle = try FileHandle(forWritingTo: input)
    var written = 0
    var n = 0
    var buffer: [UInt8] = []
    let distinct = args.contains("--collect-distinct")
    var state: UInt64 = 42
    while written < mb * 1_000_000 {
        var d = docs[n % docs.count]
        if distinct {
            d = d.split(separator: " ", omittingEmptySubsequences: false).enumerated().map { i, w in
                guard i % 3 == 0 else { return String(w) }
                state &+= 0x9E37_79B9_7F4A_7C15
                return String(Hash64.mix(state) & 0xFFFFFF, radix: 36)
            }.joined(separator: " ")
        }
        buffer.append(contentsOf: Array("{\"text\": ".utf8))
        JSONText.append("Document \(n). " + d, to: &buffer)
        buffer.append(contentsOf: Array("}\n".utf8))
        n += 1
        if buffer.count > 1 << 22 { try handle.write(contentsOf: buffer); written += buffer.count; buffer.removeAll(keepingCapacity: true) }
    }
    try handle.write(contentsOf: buffer)
    written += buffer.count
    try handle.close()
    let before = peakRSSMiB()
    let t0 = now()
    let stats = try Collector(CollectConfig(sources: [.jsonl(input.path)])).run(outputDirectory: dir.appendingPathComponent("out"))
    let dt = now() - t0
    print("collect input_mb=\(fmt(Double(written) / 1e6, 1)) documents=\(stats.read.documents) seconds=\(fmt(dt, 2)) docs/s=\(fmt(Double(stats.read.documents) / dt, 0)) MB/s=\(fmt(Double(written) / 1e6 / dt, 2)) kept=\(stats.deduplicated.documents) exact_dup=\(stats.exactDuplicatesRemoved) near_dup=\(stats.nearDuplicatesRemoved) peak_rss_mib_before=\(fmt(before, 1)) peak_rss_mib_after=\(fmt(peakRSSMiB(), 1))")
    try? FileManager.default.removeItem(at: dir)
}
if only.contains("shards") {
    let tok = try tokenizer ?? BPETokenizer.load(contentsOf: URL(fileURLWithPath: option("--reference") ?? "tokenizer.json"))
    let dir = URL(fileURLWithPath: "/tmp/bench-text-shards")
    try? FileManager.default.removeItem(at: dir)
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    let input = dir.appendingPathComponent("train.jsonl")
    var buffer: [UInt8] = []
    var bytes = 0
    for p in paragraphs() {
        buffer.append(contentsOf: Array("{\"text\": ".utf8))
        JSONText.append(p, to: &buffer)
        buffer.append(contentsOf: Array("}\n".utf8))
        bytes += p.utf8.count
    }
    try Data(buffer).write(to: input)
    var rates: [Double] = []
    var stats = TokenShardStats()
    for _ in 0..<runs {
        let m = try measured {
            stats = try CorpusEncoder(tokenizer: tok, threads: threads).encode(jsonl: [("train", input)], outputDirectory: dir.appendingPathComponent("out"))
        }
        rates.append(Double(bytes) / 1e6 / m.seconds)
    }
    print("shards \(threads) threads text MB/s median=\(fmt(median(rates))) documents=\(stats.parts[0].documents) tokens=\(stats.tokens) bytes_per_token=\(fmt(stats.parts[0].bytesPerToken, 4))")
    try? FileManager.default.removeItem(at: dir)
}
if only.contains("read") {
    // The JSONL reading that collect, tokenizer and tokenize share (DocumentStream:
    // LineReader + JSONLineParser), alone: the corpus paragraphs as a JSONL file of
    // about --read-mb MB (default 200), read to the end on one thread. MB/s by the
    // wall clock and per CPU second of this process (steadier on a shared machine).
    let mb = Int(option("--read-mb") ?? "") ?? 200
    let dir = URL(fileURLWithPath: "/tmp/bench-text-read")
    try? FileManager.default.removeItem(at: dir)
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    let input = dir.appendingPathComponent("read.jsonl")
    var buffer: [UInt8] = []
    for p in paragraphs() {
        buffer.append(contentsOf: Array("{\"id\": 1, \"text\": ".utf8))
        JSONText.append(p, to: &buffer)
        buffer.append(contentsOf: Array("}\n".utf8))
    }
    let copies = max(1, mb * 1_000_000 / max(1, buffer.count))
    var file = Data()
    for _ in 0..<copies { file.append(contentsOf: buffer) }
    try file.write(to: input)
    var wallRates: [Double] = [], cpuRates: [Double] = []
    var documents = 0
    for _ in 0..<runs {
        let c0 = processCPUSeconds()
        let m = try measured {
            let stream = try DocumentStream(config: CollectConfig(sources: [.jsonl(input.path)]))
            documents = 0
            while try stream.next() != nil { documents += 1 }
        }
        wallRates.append(Double(file.count) / 1e6 / m.seconds)
        cpuRates.append(Double(file.count) / 1e6 / (processCPUSeconds() - c0))
    }
    print("read jsonl 1 thread MB/s median=\(fmt(median(wallRates))) per_cpu_second median=\(fmt(median(cpuRates))) mb=\(fmt(Double(file.count) / 1e6, 1)) documents=\(documents) runs=\(runs)")
    try? FileManager.default.removeItem(at: dir)
}
print("peak_rss_mib=\(fmt(peakRSSMiB(), 1))")
