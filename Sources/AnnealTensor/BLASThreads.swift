import CBLAS

/// Switches OpenBLAS to one thread while the caller runs its own parallel
/// loop of small products, and back to `ComputeThreads.count` afterwards.
enum BLASThreads {
    static func withSingleThreadedBLAS(_ body: () -> Void) {
        openblas_set_num_threads(1)
        body()
        openblas_set_num_threads(Int32(ComputeThreads.count))
    }
}
