import CBLAS

/// Switches OpenBLAS to one thread while the caller runs its own parallel
/// loop of small products, and back afterwards.
enum BLASThreads {
    static func withSingleThreadedBLAS(_ body: () -> Void) {
        if Matmul.threading == .openBLAS { openblas_set_num_threads(1) }
        body()
        if Matmul.threading == .openBLAS { openblas_set_num_threads(Int32(ComputeThreads.count)) }
    }
}
