import Crypto
import Foundation

/// A SHA-256 digest, written as 64 lowercase hex digits.
public struct Digest: Hashable, Sendable, Comparable, CustomStringConvertible {
    public let hex: String

    public init?(hex: String) {
        guard hex.utf8.count == 64, hex.utf8.allSatisfy({ ($0 >= 48 && $0 <= 57) || ($0 >= 97 && $0 <= 102) }) else { return nil }
        self.hex = hex
    }

    init(_ digest: SHA256.Digest) {
        let digits = Array("0123456789abcdef".utf8)
        hex = String(unsafeUninitializedCapacity: 64) { buffer in
            var i = 0
            for byte in digest {
                buffer[i] = digits[Int(byte >> 4)]
                buffer[i + 1] = digits[Int(byte & 0xF)]
                i += 2
            }
            return 64
        }
    }

    public static func of(_ data: some DataProtocol) -> Digest {
        Digest(SHA256.hash(data: data))
    }

    public static func of(_ string: String) -> Digest {
        of(Data(string.utf8))
    }

    /// The first 10 hex digits, as people read them.
    public var short: String { String(hex.prefix(10)) }

    public var description: String { hex }

    public static func < (a: Digest, b: Digest) -> Bool { a.hex < b.hex }
}
