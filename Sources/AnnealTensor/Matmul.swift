import CBLAS

/// Matrix products on `cblas_sgemm`, row-major, with BLAS transposes (never a
/// copy to transpose).
///
/// OpenBLAS (0.3.21, measured) gives different bytes for the same product on
/// 1, 2 or 3 of its threads, and different bytes on one thread when the same
/// output is computed in differently cut blocks. So OpenBLAS always runs on one
/// thread, and a large product is cut into blocks of output rows (or columns)
/// fixed by its shape (m, n, k) alone, each one single-threaded `cblas_sgemm`
/// call; the compute threads only share out the blocks. Every output element
/// comes from the same call whatever the thread count: the bytes depend on the
/// data alone.
public enum Matmul {
    /// Multiply-adds per block: a product of fewer than twice this is one call.
    static let workPerBlock = 1 << 18
    /// At most this many blocks, an even count (two threads share them evenly; six
    /// also suits three).
    static let maximumBlocks = 6
    /// Block edges fall on multiples of this (OpenBLAS's widest register tile),
    /// so only the last block has a ragged edge.
    static let blockAlignment = 16

    /// How C[m, n] = op(A)[m, k] op(B)[k, n] is cut: `count` blocks of `size`
    /// rows of C (columns when `alongRows` is false; the larger side is cut),
    /// the last block shorter. A function of the shape only.
    static func blocks(m: Int, n: Int, k: Int) -> (count: Int, size: Int, alongRows: Bool) {
        let alongRows = m >= n, extent = alongRows ? m : n
        var count = min(maximumBlocks, m * n * k / workPerBlock)
        count -= count % 2
        guard count > 1 else { return (1, extent, alongRows) }
        let size = ((extent + count - 1) / count + blockAlignment - 1) / blockAlignment * blockAlignment
        return ((extent + size - 1) / size, size, alongRows)
    }

    /// C[m,n] = alpha * op(A)[m,k] * op(B)[k,n] + beta * C, with leading
    /// dimensions `lda`, `ldb`, `ldc` (row strides in elements). With `split`
    /// false it is one call on the calling thread, for callers that share out
    /// fixed parts of their work themselves (attention's (batch, head) pairs).
    public static func gemm(transposeA: Bool, transposeB: Bool, m: Int, n: Int, k: Int,
                            alpha: Float = 1, a: UnsafePointer<Float>, lda: Int,
                            b: UnsafePointer<Float>, ldb: Int,
                            beta: Float, c: UnsafeMutablePointer<Float>, ldc: Int, split: Bool = true) {
        let (count, size, alongRows) = split ? blocks(m: m, n: n, k: k) : (1, m, true)
        if count == 1 {
            single(transposeA, transposeB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc)
            return
        }
        ComputeThreads.forEachPart(count) { block, _ in
            let start = block * size
            if alongRows {
                // Rows of C: rows of op(A), a row offset in A or a column offset when A is transposed.
                single(transposeA, transposeB, min(size, m - start), n, k, alpha, a + (transposeA ? start : start * lda), lda,
                       b, ldb, beta, c + start * ldc, ldc)
            } else {
                // Columns of C: columns of op(B), a column offset in B or a row offset when B is transposed.
                single(transposeA, transposeB, m, min(size, n - start), k, alpha, a, lda,
                       b + (transposeB ? start * ldb : start), ldb, beta, c + start, ldc)
            }
        }
    }

    @inline(__always)
    static func single(_ transposeA: Bool, _ transposeB: Bool, _ m: Int, _ n: Int, _ k: Int, _ alpha: Float,
                       _ a: UnsafePointer<Float>, _ lda: Int, _ b: UnsafePointer<Float>, _ ldb: Int,
                       _ beta: Float, _ c: UnsafeMutablePointer<Float>, _ ldc: Int) {
        keepBLASSingleThreaded()
        cblas_sgemm(CblasRowMajor, transposeA ? CblasTrans : CblasNoTrans,
                    transposeB ? CblasTrans : CblasNoTrans,
                    Int32(m), Int32(n), Int32(k), alpha, a, Int32(lda), b, Int32(ldb),
                    beta, c, Int32(ldc))
    }

    /// y[n] = alpha * op(A) x + beta * y for A of `rows` x `columns`, one
    /// single-threaded call (OpenBLAS's threaded sgemv also changes the bytes).
    public static func gemv(transposeA: Bool, rows: Int, columns: Int, alpha: Float = 1,
                            a: UnsafePointer<Float>, lda: Int, x: UnsafePointer<Float>,
                            beta: Float, y: UnsafeMutablePointer<Float>) {
        keepBLASSingleThreaded()
        cblas_sgemv(CblasRowMajor, transposeA ? CblasTrans : CblasNoTrans,
                    Int32(rows), Int32(columns), alpha, a, Int32(lda), x, 1, beta, y, 1)
    }

    /// OpenBLAS starts with a thread per core (or `OPENBLAS_NUM_THREADS`); this
    /// puts it on one before the first product of the process.
    private static let blasOnOneThread: Void = openblas_set_num_threads(1)

    @inline(__always)
    static func keepBLASSingleThreaded() { _ = blasOnOneThread }
}
