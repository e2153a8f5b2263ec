import AnnealSpec
import CProcessControl
import Foundation
#if canImport(Glibc)
import Glibc
#endif

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

    /// Returns when a step may have ended, or after at most `microseconds`.
    func waitForEnd(upTo microseconds: UInt32)
}

extension StepExecutor {
    /// Executors that cannot be woken by a step's end sleep one poll interval.
    public func waitForEnd(upTo microseconds: UInt32) {
        usleep(min(microseconds, pollInterval))
    }
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
    /// Per child, a descriptor that becomes readable when it ends (Linux
    /// pidfd), so the runner wakes the moment a step ends instead of on its
    /// next poll; -1 where the kernel has none.
    var endSignals: [pid_t: Int32] = [:]

    public init() {}

    deinit {
        for fd in endSignals.values where fd >= 0 { close(fd) }
    }

    public func start(_ launch: StepLaunch) throws -> StepHandle {
        let process = try ChildProcess.spawn(launch.arguments, log: launch.log, environment: launch.environment)
        children[process.pid] = process
        endSignals[process.pid] = anneal_pidfd_open(process.pid)
        return StepHandle(id: String(process.pid))
    }

    public func poll() -> [(StepHandle, ChildProcess.Termination)] {
        var ended: [(StepHandle, ChildProcess.Termination)] = []
        while let (pid, termination) = ChildProcess.reapAny(of: Array(children.keys)) {
            children.removeValue(forKey: pid)
            if let fd = endSignals.removeValue(forKey: pid), fd >= 0 { close(fd) }
            ended.append((StepHandle(id: String(pid)), termination))
        }
        return ended
    }

    /// Sleeps until a child ends (or a signal arrives), at most `microseconds`.
    public func waitForEnd(upTo microseconds: UInt32) {
        let fds = Array(endSignals.values)
        guard !fds.isEmpty, !fds.contains(where: { $0 < 0 }) else {
            usleep(min(microseconds, pollInterval))
            return
        }
        var watched = fds.map { pollfd(fd: $0, events: Int16(POLLIN), revents: 0) }
        _ = Glibc.poll(&watched, nfds_t(watched.count), Int32(microseconds / 1000))
    }

    public func interrupt(_ handles: [StepHandle], force: Bool) {
        for h in handles {
            if let pid = pid_t(h.id), let child = children[pid] { child.signalGroup(force ? SIGKILL : SIGINT) }
        }
    }

    public var pollInterval: UInt32 { 2000 }
}
