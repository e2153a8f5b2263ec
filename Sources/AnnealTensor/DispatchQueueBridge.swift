import Dispatch
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// `DispatchQueue.concurrentPerform` for kernel bodies that capture raw
/// pointers. The body only runs during this call and each iteration writes
/// disjoint memory, which is what makes the Sendable conversion sound.
/// Each iteration runs with a thread-local mark, so kernels called inside a
/// parallel section stay on their thread instead of splitting again.
enum DispatchQueueBridge {
    nonisolated(unsafe) static let insideKey: pthread_key_t = {
        var key = pthread_key_t()
        pthread_key_create(&key, nil)
        return key
    }()

    /// Whether the current thread is running an iteration of `perform`.
    static var isInsideParallelSection: Bool { pthread_getspecific(insideKey) != nil }

    static func perform(_ iterations: Int, _ body: (Int) -> Void) {
        withoutActuallyEscaping(body) { escapable in
            let sendable = unsafeBitCast(escapable, to: (@Sendable (Int) -> Void).self)
            DispatchQueue.concurrentPerform(iterations: iterations) { i in
                let previous = pthread_getspecific(insideKey)
                pthread_setspecific(insideKey, UnsafeRawPointer(bitPattern: 1))
                sendable(i)
                pthread_setspecific(insideKey, previous)
            }
        }
    }
}
