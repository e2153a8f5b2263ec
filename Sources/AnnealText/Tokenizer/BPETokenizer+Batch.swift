import Dispatch

extension BPETokenizer {
    /// Encodes many texts on `threads` threads (each with its own encoder);
    /// the result is in input order and does not depend on the thread count.
    public func encodeBatch(_ texts: [String], allowSpecial: Bool = false, threads: Int) -> [[Int]] {
        let results = ResultSlots<[Int]>(count: texts.count)
        let workers = max(1, min(threads, texts.count))
        DispatchQueue.concurrentPerform(iterations: workers) { w in
            let encoder = makeEncoder()
            var k = w
            while k < texts.count {
                results.set(k, encoder.encode(texts[k], allowSpecial: allowSpecial))
                k += workers
            }
        }
        return results.values()
    }
}
