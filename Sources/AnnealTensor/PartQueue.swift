#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Hands out the part numbers 0..<count, each once, to whichever worker asks
/// first: a worker slowed down by another process takes fewer parts. Which
/// worker computes a part never changes its bytes, only when it is done.
final class PartQueue: @unchecked Sendable {
    private let count: Int
    private var next = 0
    private var lock = pthread_mutex_t()

    init(count: Int) {
        self.count = count
        pthread_mutex_init(&lock, nil)
    }

    deinit { pthread_mutex_destroy(&lock) }

    /// The next part not yet taken, or nil when all are.
    func take() -> Int? {
        pthread_mutex_lock(&lock)
        defer { pthread_mutex_unlock(&lock) }
        guard next < count else { return nil }
        next += 1
        return next - 1
    }
}
