import Foundation

/// How `anneal run` should run a plan.
public struct RunOptions: Sendable {
    /// Run only these steps (base or instance names); their inputs must be cached.
    public var only: [String] = []
    /// Run this step and everything upstream of it.
    public var until: String?
    /// Run this step and everything downstream of it; upstream must be cached.
    public var from: String?
    /// Run these steps even if cached.
    public var force: [String] = []
    /// With `force`: also run everything downstream of the forced steps.
    public var forceDownstream = false
    /// Most steps running at once.
    public var jobs = ProcessInfo.processInfo.activeProcessorCount
    /// After a failure, keep running everything not downstream of it.
    public var keepGoing = false
    /// Decide and explain, execute nothing.
    public var dryRun = false
    /// Re-hash every object and input the run reads instead of trusting the
    /// hash memo's (device, inode, size, mtime, ctime) stamps.
    public var verify = false
    /// Whether to keep the command line for the lock file.
    public var command = "anneal run"

    public init() {}
}
