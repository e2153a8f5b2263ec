/// Fixed slots written by parallel workers, each slot by exactly one worker.
final class ResultSlots<T>: @unchecked Sendable {
    private let slots: UnsafeMutablePointer<T?>
    private let count: Int

    init(count: Int) {
        self.count = count
        slots = .allocate(capacity: max(count, 1))
        slots.initialize(repeating: nil, count: max(count, 1))
    }

    deinit {
        slots.deinitialize(count: max(count, 1))
        slots.deallocate()
    }

    func set(_ i: Int, _ v: T) { slots[i] = v }

    func values() -> [T] { (0..<count).map { slots[$0]! } }
}
