import AnnealSpec
import Foundation

/// Where steps run: child processes on this machine, or jobs on a cluster.
/// The runner decides what runs and when; an executor only starts a step
/// from its description file, reports when it ends, and stops it on request.
public protocol StepExecutor: AnyObject {
    /// Starts one step. `descriptionFile` is what `anneal _step` reads; its
    /// output goes to `log`.
    func start(_ launch: StepLaunch) throws -> StepHandle

    /// The steps that ended since the last call, with how they ended.
    func poll() -> [(StepHandle, ChildProcess.Termination)]

    /// Asks running steps to stop (Ctrl-C), or with `force` kills them.
    func interrupt(_ handles: [StepHandle], force: Bool)

    /// How long the runner sleeps between polls, in microseconds.
    var pollInterval: UInt32 { get }
}

/// Everything an executor needs to start a step.
public struct StepLaunch: Sendable {
    public var step: String
    /// The `anneal` binary and its arguments (`_step DESCRIPTION`).
    public var arguments: [String]
    public var log: String
    public var environment: [String: String]
    /// Cores granted by the runner.
    public var cpus: Int
    public var resources: Resources
    /// The attempt folder, on storage the executor's machines share.
    public var attemptDirectory: String
}

/// A started step, as its executor names it (a pid here, a job id on Slurm).
public struct StepHandle: Hashable, Sendable, CustomStringConvertible {
    public var id: String
    /// What to show beside the step while it runs (`job 4242`); empty for local steps.
    public var label: String

    public init(id: String, label: String = "") {
        self.id = id
        self.label = label
    }

    public var description: String { label.isEmpty ? id : label }
}

/// Runs each step as a child process of this machine, in its own process group.
public final class LocalExecutor: StepExecutor {
    var children: [pid_t: ChildProcess] = [:]

    public init() {}

    public func start(_ launch: StepLaunch) throws -> StepHandle {
        let process = try ChildProcess.spawn(launch.arguments, log: launch.log, environment: launch.environment)
        children[process.pid] = process
        return StepHandle(id: String(process.pid))
    }

    public func poll() -> [(StepHandle, ChildProcess.Termination)] {
        var ended: [(StepHandle, ChildProcess.Termination)] = []
        while let (pid, termination) = ChildProcess.reapAny(of: Array(children.keys)) {
            children.removeValue(forKey: pid)
            ended.append((StepHandle(id: String(pid)), termination))
        }
        return ended
    }

    public func interrupt(_ handles: [StepHandle], force: Bool) {
        for h in handles {
            if let pid = pid_t(h.id), let child = children[pid] { child.signalGroup(force ? SIGKILL : SIGINT) }
        }
    }

    public var pollInterval: UInt32 { 2000 }
}
