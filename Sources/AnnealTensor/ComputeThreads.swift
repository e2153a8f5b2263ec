import CBLAS

/// The number of threads the kernels use, for products and elementwise work.
///
/// Elementwise kernels split their rows into exactly `count` fixed, contiguous
/// chunks, so results depend on the thread count but never on scheduling.
public enum ComputeThreads {
    nonisolated(unsafe) private static var current = 1

    /// The thread count in effect.
    public static var count: Int { current }

    /// Sets the thread count. OpenBLAS gets one thread when `Matmul` splits
    /// products itself, and `threads` when it is asked to thread them.
    public static func set(_ threads: Int) {
        current = max(1, threads)
        openblas_set_num_threads(Int32(Matmul.threading == .openBLAS ? current : 1))
    }

    /// Whether the caller is outside any parallel section (so work may split).
    static var isOnCallerThread: Bool { !DispatchQueueBridge.isInsideParallelSection }

    /// Runs `body` on `rows` split into `count` contiguous chunks (fewer when
    /// there is too little work to pay for a thread), in parallel.
    /// `minimumRowsPerChunk` keeps tiny jobs on one thread.
    public static func forEachChunk(rows: Int, minimumRowsPerChunk: Int = 1,
                                    _ body: (Range<Int>) -> Void) {
        let chunks = min(current, max(1, rows / max(1, minimumRowsPerChunk)))
        if chunks <= 1 || !isOnCallerThread {
            if rows > 0 { body(0..<rows) }
            return
        }
        DispatchQueueBridge.perform(chunks) { chunk in
            body(chunkRange(chunk, of: chunks, rows: rows))
        }
    }

    /// The rows of chunk `chunk` out of `chunks` over `rows` rows.
    public static func chunkRange(_ chunk: Int, of chunks: Int, rows: Int) -> Range<Int> {
        let base = rows / chunks, extra = rows % chunks
        let start = chunk * base + min(chunk, extra)
        return start..<(start + base + (chunk < extra ? 1 : 0))
    }
}
