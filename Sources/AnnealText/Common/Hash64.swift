/// Anneal's own fixed-seed 64-bit hash of byte strings, used for deduplication,
/// MinHash shingles, split assignment and hash tables.
///
/// Shape: the input is read as little-endian 8-byte words `w`; each word is mixed as
/// `h = rotl(h ^ (w * K1), 31) * K2`, the tail (< 8 bytes) is packed into one
/// more word, the length is folded in, and the result goes through the SplitMix64
/// finaliser (`x ^= x >> 30; x *= 0xBF58476D1CE4E5B9; x ^= x >> 27;
/// x *= 0x94D049BB133111EB; x ^= x >> 31`) so every input bit affects every output
/// bit. It is not cryptographic; it is stable across runs, machines and versions
/// (changing it would move documents between splits, so it must not change).
public enum Hash64 {
    static let k1: UInt64 = 0x9E37_79B9_7F4A_7C15
    static let k2: UInt64 = 0xC2B2_AE3D_27D4_EB4F

    /// SplitMix64's finaliser: a bijective avalanche on 64 bits.
    @inline(__always)
    public static func mix(_ value: UInt64) -> UInt64 {
        var x = value
        x ^= x >> 30
        x = x &* 0xBF58_476D_1CE4_E5B9
        x ^= x >> 27
        x = x &* 0x94D0_49BB_1331_11EB
        x ^= x >> 31
        return x
    }

    /// Hash of `count` bytes at `base` with a seed (different seeds give independent hashes).
    @inline(__always)
    public static func hash(_ base: UnsafeRawPointer?, count: Int, seed: UInt64 = 0) -> UInt64 {
        var h = seed ^ k1
        guard let base, count > 0 else { return mix(h ^ UInt64(truncatingIfNeeded: count)) }
        var i = 0
        while i + 8 <= count {
            let w = UInt64(littleEndian: base.loadUnaligned(fromByteOffset: i, as: UInt64.self))
            h = ((h ^ (w &* k1)) << 31 | (h ^ (w &* k1)) >> 33) &* k2
            i += 8
        }
        if i < count {
            var w: UInt64 = 0
            var shift: UInt64 = 0
            while i < count {
                w |= UInt64(base.load(fromByteOffset: i, as: UInt8.self)) << shift
                shift += 8
                i += 1
            }
            h = ((h ^ (w &* k1)) << 31 | (h ^ (w &* k1)) >> 33) &* k2
        }
        return mix(h ^ UInt64(truncatingIfNeeded: count))
    }

    /// Hash of a byte buffer.
    public static func hash(_ bytes: UnsafeRawBufferPointer, seed: UInt64 = 0) -> UInt64 {
        hash(bytes.baseAddress, count: bytes.count, seed: seed)
    }

    /// Hash of a string's UTF-8 bytes.
    public static func hash(_ text: String, seed: UInt64 = 0) -> UInt64 {
        var t = text
        return t.withUTF8 { hash(UnsafeRawBufferPointer($0), seed: seed) }
    }

    /// Hash of an array of bytes.
    public static func hash(_ bytes: [UInt8], seed: UInt64 = 0) -> UInt64 {
        bytes.withUnsafeBytes { hash($0, seed: seed) }
    }
}
