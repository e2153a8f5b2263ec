import Dispatch

/// `DispatchQueue.concurrentPerform` for kernel bodies that capture raw
/// pointers. The body only runs during this call and each iteration writes
/// disjoint memory, which is what makes the Sendable conversion sound.
enum DispatchQueueBridge {
    @inline(__always)
    static func perform(_ iterations: Int, _ body: (Int) -> Void) {
        withoutActuallyEscaping(body) { escapable in
            let sendable = unsafeBitCast(escapable, to: (@Sendable (Int) -> Void).self)
            DispatchQueue.concurrentPerform(iterations: iterations, execute: sendable)
        }
    }
}
