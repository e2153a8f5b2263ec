import Crypto
import Foundation

/// The id git gives a file's contents: SHA-1 of `blob <size>\0<bytes>`, as 40 hex
/// digits. A recipe's blob id names the exact version of it a run used, and is the
/// same id `git log --raw` and `git ls-tree` print for it.
public enum GitBlobID {
    /// The blob id of `data`.
    public static func of(_ data: Data) -> String {
        var hasher = Insecure.SHA1()
        hasher.update(data: Data("blob \(data.count)\0".utf8))
        hasher.update(data: data)
        return hasher.finalize().map { String(format: "%02x", $0) }.joined()
    }
}
