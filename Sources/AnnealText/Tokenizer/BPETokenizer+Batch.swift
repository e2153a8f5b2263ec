import Dispatch

extension BPETokenizer {
    /// Encodes many texts on `threads` threads (each with its own encoder);
    /// the result is in input order and does not depend on the thread count.
    public func encodeBatch(_ texts: [String], allowSpecial: Bool = false, threads: Int) -> [[Int]] {
        EncoderTeam(tokenizer: self, threads: threads).encode(texts, allowSpecial: allowSpecial)
    }
}

/// A fixed set of encoders, one per worker thread, kept across batches so their
/// caches stay warm. Worker w uses only encoder w, so no encoder is ever used by
/// two threads at once.
final class EncoderTeam: @unchecked Sendable {
    private let encoders: [BPEEncoder]

    init(tokenizer: BPETokenizer, threads: Int) {
        encoders = (0..<max(1, threads)).map { _ in tokenizer.makeEncoder() }
    }

    func encode(_ texts: [String], allowSpecial: Bool) -> [[Int]] {
        let results = ResultSlots<[Int]>(count: texts.count)
        let workers = max(1, min(encoders.count, texts.count))
        DispatchQueue.concurrentPerform(iterations: workers) { w in
            let encoder = encoders[w]
            var k = w
            while k < texts.count {
                results.set(k, encoder.encode(texts[k], allowSpecial: allowSpecial))
                k += workers
            }
        }
        return results.values()
    }
}
