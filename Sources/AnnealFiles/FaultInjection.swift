import Foundation

/// Test-only faults, read from the environment once per process: with
/// `ANNEAL_FAULT_ENOSPC_AT_WRITE=N`, the Nth write call through `FileSync`
/// (counting from 1) fails with ENOSPC, as a full disk would. The fault-injection
/// suite sets it for step processes; nothing else does.
public enum FaultInjection {
    public static let enospcVariable = "ANNEAL_FAULT_ENOSPC_AT_WRITE"

    nonisolated(unsafe) private static var remaining: Int = {
        guard let text = getenv(enospcVariable), let n = Int(String(cString: text)), n > 0 else { return -1 }
        return n
    }()
    private static let lock = NSLock()

    /// Whether the write about to happen is the one to fail (it fails once).
    static func failsThisWrite() -> Bool {
        lock.lock()
        defer { lock.unlock() }
        guard remaining > 0 else { return false }
        remaining -= 1
        return remaining == 0
    }
}
