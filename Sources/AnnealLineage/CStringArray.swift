import CGit2
import Foundation

/// Lends Swift strings to libgit2 options that take lists (pathspecs, refspecs)
/// as a `git_strarray` of C copies that live only for the call.
enum CStringArray {
    /// Runs `body` with a `git_strarray` holding copies of `strings`; frees them after.
    @discardableResult
    static func with<T>(_ strings: [String], _ body: (inout git_strarray) throws -> T) rethrows -> T {
        let pointers = UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>.allocate(capacity: max(1, strings.count))
        for (index, string) in strings.enumerated() { pointers[index] = strdup(string) }
        defer {
            for index in strings.indices { free(pointers[index]) }
            pointers.deallocate()
        }
        var array = git_strarray(strings: strings.isEmpty ? nil : pointers, count: strings.count)
        return try body(&array)
    }
}
