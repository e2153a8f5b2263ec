/// The number of threads the kernels use, for products and elementwise work.
///
/// Results never depend on it: every product and every sum is cut into parts
/// fixed by the shape of the data, each part is computed the same way whoever
/// computes it, and partial sums are added in part order. The thread count only
/// decides which thread computes which parts. OpenBLAS itself always runs on
/// one thread (its own threading changes the bytes of a product, see `Matmul`).
public enum ComputeThreads {
    nonisolated(unsafe) private static var current = 1

    /// The thread count in effect.
    public static var count: Int { current }

    /// Sets the thread count (at least 1).
    public static func set(_ threads: Int) {
        current = max(1, threads)
        Matmul.keepBLASSingleThreaded()
    }

    /// Whether the caller is outside any parallel section (so work may split).
    static var isOnCallerThread: Bool { !DispatchQueueBridge.isInsideParallelSection }

    /// Runs `body` on `rows` split into `count` contiguous chunks (fewer when
    /// there is too little work to pay for a thread), in parallel. Only for work
    /// whose every output element is computed by one row on its own, so the
    /// chunking cannot change a result. `minimumRowsPerChunk` keeps tiny jobs
    /// on one thread.
    public static func forEachChunk(rows: Int, minimumRowsPerChunk: Int = 1,
                                    _ body: (Range<Int>) -> Void) {
        guard rows > 0 else { return }
        let chunks = isOnCallerThread ? min(current, max(1, rows / max(1, minimumRowsPerChunk))) : 1
        forEachPart(chunks) { chunk, _ in body(chunkRange(chunk, of: chunks, rows: rows)) }
    }

    /// Runs body(part, worker) for every part in 0..<parts: the caller fixes the
    /// parts from the data's shape; the workers (at most `count` and
    /// `maximumWorkers`, numbered from 0) take the next part left until none
    /// is. Inside a parallel section the parts run in order on the calling thread.
    public static func forEachPart(_ parts: Int, maximumWorkers: Int = .max, _ body: (Int, Int) -> Void) {
        let workers = isOnCallerThread ? max(1, min(current, parts, maximumWorkers)) : 1
        if workers <= 1 {
            for part in 0..<parts { body(part, 0) }
            return
        }
        let queue = PartQueue(count: parts)
        DispatchQueueBridge.perform(workers) { worker in
            while let part = queue.take() { body(part, worker) }
        }
    }

    /// The rows of chunk `chunk` out of `chunks` over `rows` rows.
    public static func chunkRange(_ chunk: Int, of chunks: Int, rows: Int) -> Range<Int> {
        let base = rows / chunks, extra = rows % chunks
        let start = chunk * base + min(chunk, extra)
        return start..<(start + base + (chunk < extra ? 1 : 0))
    }
}
