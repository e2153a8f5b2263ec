#if canImport(Glibc)
import Glibc
#else
import Darwin
#endif

/// An open-addressing hash table from byte strings to dense indices 0, 1, 2, ...
/// in insertion order, with the keys packed into one byte arena.
///
/// Why not `Dictionary<[UInt8], Int>`: the trainer counts millions of
/// pre-tokens and the encoder looks one up per pre-token; hashing an array and
/// allocating one per key dominates that. Here a lookup is one hash of the raw
/// bytes, a probe over `UInt32` slots and a `memcmp`.
struct ByteStringTable {
    /// slot -> entry index + 1 (0 = empty). Capacity is a power of two, load <= 1/2.
    private var slots: [UInt32]
    private var hashes: [UInt64] = []
    /// Entry i's key is arena[keyStarts[i] ..< keyStarts[i + 1]].
    private var keyStarts: [Int] = [0]
    private(set) var arena: [UInt8] = []

    init(capacity: Int = 1024) {
        var c = 16
        while c < capacity * 2 { c <<= 1 }
        slots = [UInt32](repeating: 0, count: c)
    }

    /// Number of keys.
    var count: Int { hashes.count }

    /// Bytes held by the keys.
    var arenaBytes: Int { arena.count }

    /// The key of entry `index`.
    func key(_ index: Int) -> ArraySlice<UInt8> { arena[keyStarts[index] ..< keyStarts[index + 1]] }

    /// Calls `body` with the bytes of entry `index`.
    func withKey<R>(_ index: Int, _ body: (UnsafeBufferPointer<UInt8>) throws -> R) rethrows -> R {
        let s = keyStarts[index], e = keyStarts[index + 1]
        return try arena.withUnsafeBufferPointer { try body(UnsafeBufferPointer(rebasing: $0[s..<e])) }
    }

    /// The index of `key` if present.
    func find(_ key: UnsafePointer<UInt8>, count n: Int) -> Int? {
        let h = Hash64.hash(UnsafeRawPointer(key), count: n)
        return slots.withUnsafeBufferPointer { sl in
            let mask = sl.count - 1
            var s = Int(truncatingIfNeeded: h) & mask
            while true {
                let e = Int(sl[s])
                if e == 0 { return nil }
                if matches(e - 1, h, key, n) { return e - 1 }
                s = (s + 1) & mask
            }
        }
    }

    /// The index of `key`, inserting it if absent; `inserted` tells which.
    mutating func findOrInsert(_ key: UnsafePointer<UInt8>, count n: Int) -> (index: Int, inserted: Bool) {
        let h = Hash64.hash(UnsafeRawPointer(key), count: n)
        let mask = slots.count - 1
        var s = Int(truncatingIfNeeded: h) & mask
        while true {
            let e = Int(slots[s])
            if e == 0 { break }
            if matches(e - 1, h, key, n) { return (e - 1, false) }
            s = (s + 1) & mask
        }
        let index = hashes.count
        hashes.append(h)
        arena.append(contentsOf: UnsafeBufferPointer(start: key, count: n))
        keyStarts.append(arena.count)
        slots[s] = UInt32(index + 1)
        if hashes.count * 2 > slots.count { grow() }
        return (index, true)
    }

    /// Forgets every key (keeps the capacity).
    mutating func removeAll() {
        for i in slots.indices { slots[i] = 0 }
        hashes.removeAll(keepingCapacity: true)
        keyStarts.removeAll(keepingCapacity: true)
        keyStarts.append(0)
        arena.removeAll(keepingCapacity: true)
    }

    @inline(__always)
    private func matches(_ index: Int, _ h: UInt64, _ key: UnsafePointer<UInt8>, _ n: Int) -> Bool {
        guard hashes[index] == h else { return false }
        let s = keyStarts[index]
        guard keyStarts[index + 1] - s == n else { return false }
        return arena.withUnsafeBufferPointer { a in
            n == 0 || memcmp(a.baseAddress! + s, key, n) == 0
        }
    }

    private mutating func grow() {
        let c = slots.count * 2
        var fresh = [UInt32](repeating: 0, count: c)
        let mask = c - 1
        for (i, h) in hashes.enumerated() {
            var s = Int(truncatingIfNeeded: h) & mask
            while fresh[s] != 0 { s = (s + 1) & mask }
            fresh[s] = UInt32(i + 1)
        }
        slots = fresh
    }
}
