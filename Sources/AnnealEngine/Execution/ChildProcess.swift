import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A child process started with posix_spawn in a process group of its own,
/// its output appended to a log file. Waiting for it gives its rusage
/// (CPU time, peak memory), which Foundation's Process does not.
public struct ChildProcess: Sendable {
    public let pid: pid_t

    /// How a child ended.
    public struct Termination: Sendable {
        public var exitStatus: Int32?
        public var signal: Int32?
        public var cpuSeconds: Double
        public var peakMemoryBytes: Int

        public var succeeded: Bool { exitStatus == 0 }

        public var summary: String {
            if let s = exitStatus { return "exit status \(s)" }
            if let s = signal { return "killed by signal \(s)\(s == SIGKILL ? " (SIGKILL; out of memory?)" : "")" }
            return "ended"
        }
    }

    /// Starts `arguments[0]` with `arguments`, stdin from /dev/null and stdout
    /// and stderr appended to `log` (or inherited when nil). `environment`
    /// replaces the environment.
    public static func spawn(_ arguments: [String], log: String?, environment: [String: String],
                             newProcessGroup: Bool = true) throws -> ChildProcess {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        if let log {
            posix_spawn_file_actions_addopen(&actions, 1, log, O_WRONLY | O_CREAT | O_APPEND, 0o644)
            posix_spawn_file_actions_adddup2(&actions, 1, 2)
        }

        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var flags = Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF)
        if newProcessGroup {
            flags |= Int16(POSIX_SPAWN_SETPGROUP)
            posix_spawnattr_setpgroup(&attributes, 0)
        }
        posix_spawnattr_setflags(&attributes, flags)
        var empty = sigset_t()
        sigemptyset(&empty)
        posix_spawnattr_setsigmask(&attributes, &empty)
        var defaults = sigset_t()
        sigemptyset(&defaults)
        for s in [SIGINT, SIGTERM, SIGPIPE, SIGCHLD, SIGHUP] { sigaddset(&defaults, s) }
        posix_spawnattr_setsigdefault(&attributes, &defaults)

        let argv = arguments.map { strdup($0) } + [nil]
        let envp = environment.sorted { $0.key < $1.key }.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer {
            argv.forEach { free($0) }
            envp.forEach { free($0) }
        }
        var pid: pid_t = 0
        let rc = posix_spawn(&pid, arguments[0], &actions, &attributes, argv, envp)
        guard rc == 0 else {
            throw StepFailure("cannot start \(arguments[0]): \(String(cString: strerror(rc)))")
        }
        return ChildProcess(pid: pid)
    }

    /// Waits for one of `pids` without blocking; returns its pid and termination.
    /// Only the given children are reaped, so several runners (or other code
    /// with children) can share a process.
    public static func reapAny(of pids: some Sequence<pid_t>) -> (pid_t, Termination)? {
        for pid in pids {
            var status: Int32 = 0
            var usage = rusage()
            if wait4(pid, &status, WNOHANG, &usage) == pid {
                return (pid, termination(status: status, usage: usage))
            }
        }
        return nil
    }

    /// Blocks until this child ends.
    public func wait() -> Termination {
        var status: Int32 = 0
        var usage = rusage()
        while wait4(pid, &status, 0, &usage) < 0 {
            if errno != EINTR { return Termination(exitStatus: nil, signal: nil, cpuSeconds: 0, peakMemoryBytes: 0) }
        }
        return Self.termination(status: status, usage: usage)
    }

    static func termination(status: Int32, usage: rusage) -> Termination {
        let cpu = Double(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec)
            + Double(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6
        let exited = status & 0x7f == 0
        return Termination(exitStatus: exited ? (status >> 8) & 0xff : nil,
                           signal: exited ? nil : status & 0x7f,
                           cpuSeconds: cpu, peakMemoryBytes: usage.ru_maxrss * 1024)
    }

    /// Sends a signal to the child's whole process group.
    public func signalGroup(_ signal: Int32) {
        kill(-pid, signal)
    }
}
