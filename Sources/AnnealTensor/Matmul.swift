import CBLAS

/// Matrix products on `cblas_sgemm`, row-major, with BLAS transposes (never a
/// copy to transpose).
///
/// By default OpenBLAS threads each product itself (`ComputeThreads.set`
/// gives it the thread count). The alternative, `.splitOutput`, splits a large
/// product into one block of output rows (or columns) per compute thread, each
/// a single-threaded sgemm, so no OpenBLAS worker threads spin between calls;
/// on the benchmark machine it measured 10-25 % slower, so it is opt-in.
/// Either way each output element comes from exactly one call: deterministic.
public enum Matmul {
    /// How products use several threads (see the type comment).
    public enum Threading: Sendable { case splitOutput, openBLAS }
    /// Set before `ComputeThreads.set`, which configures OpenBLAS accordingly.
    nonisolated(unsafe) public static var threading: Threading = .openBLAS

    /// Products smaller than this many multiply-adds run on one thread.
    static let splitThreshold = 1 << 18

    /// C[m,n] = alpha * op(A)[m,k] * op(B)[k,n] + beta * C, with leading
    /// dimensions `lda`, `ldb`, `ldc` (row strides in elements).
    public static func gemm(transposeA: Bool, transposeB: Bool, m: Int, n: Int, k: Int,
                            alpha: Float = 1, a: UnsafePointer<Float>, lda: Int,
                            b: UnsafePointer<Float>, ldb: Int,
                            beta: Float, c: UnsafeMutablePointer<Float>, ldc: Int) {
        let parts = ComputeThreads.count
        if threading == .openBLAS || parts <= 1 || m * n * k < splitThreshold || !ComputeThreads.isOnCallerThread {
            single(transposeA, transposeB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc)
            return
        }
        do {
            DispatchQueueBridge.perform(parts) { part in
                if m >= n {
                    // Rows of C: rows of op(A) — row offset in A, or column offset when A is transposed.
                    let r = ComputeThreads.chunkRange(part, of: parts, rows: m)
                    if r.isEmpty { return }
                    single(transposeA, transposeB, r.count, n, k, alpha, a + (transposeA ? r.lowerBound : r.lowerBound * lda), lda,
                           b, ldb, beta, c + r.lowerBound * ldc, ldc)
                } else {
                    // Columns of C: columns of op(B) — column offset in B, or row offset when B is transposed.
                    let r = ComputeThreads.chunkRange(part, of: parts, rows: n)
                    if r.isEmpty { return }
                    single(transposeA, transposeB, m, r.count, k, alpha, a, lda,
                           b + (transposeB ? r.lowerBound * ldb : r.lowerBound), ldb, beta, c + r.lowerBound, ldc)
                }
            }
        }
    }

    @inline(__always)
    static func single(_ transposeA: Bool, _ transposeB: Bool, _ m: Int, _ n: Int, _ k: Int, _ alpha: Float,
                       _ a: UnsafePointer<Float>, _ lda: Int, _ b: UnsafePointer<Float>, _ ldb: Int,
                       _ beta: Float, _ c: UnsafeMutablePointer<Float>, _ ldc: Int) {
        cblas_sgemm(CblasRowMajor, transposeA ? CblasTrans : CblasNoTrans,
                    transposeB ? CblasTrans : CblasNoTrans,
                    Int32(m), Int32(n), Int32(k), alpha, a, Int32(lda), b, Int32(ldb),
                    beta, c, Int32(ldc))
    }

    /// y[n] = alpha * op(A) x + beta * y for A of `rows` x `columns`.
    public static func gemv(transposeA: Bool, rows: Int, columns: Int, alpha: Float = 1,
                            a: UnsafePointer<Float>, lda: Int, x: UnsafePointer<Float>,
                            beta: Float, y: UnsafeMutablePointer<Float>) {
        cblas_sgemv(CblasRowMajor, transposeA ? CblasTrans : CblasNoTrans,
                    Int32(rows), Int32(columns), alpha, a, Int32(lda), x, 1, beta, y, 1)
    }
}
