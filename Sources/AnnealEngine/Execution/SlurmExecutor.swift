import AnnealFiles
import AnnealSpec
import Foundation

/// Runs each step as one Slurm batch job (`sbatch`), submitted when the runner
/// finds the step ready, that is when every upstream step has finished and its
/// outputs are in the store. The job runs `anneal _step` on whichever node
/// Slurm picks, so the workspace and the `anneal` binary must be on storage
/// every node sees.
///
/// A job whose runner died keeps running. The next runner with the same step
/// fingerprint finds the earlier attempt in the step's work folder and adopts
/// it instead of submitting again: a job still queued or running is watched
/// to its end, and an attempt whose `_step` wrote an exit record with status 0
/// has its outputs handed to the runner to store.
public final class SlurmExecutor: StepExecutor {
    /// The pipeline's name, part of each job's name.
    public let pipeline: String
    /// Every job id this executor submitted, in order (adopted jobs excluded).
    public private(set) var submitted: [String] = []

    struct Watched {
        var job: SlurmJob
        var handle: StepHandle
        /// The runner's attempt folder for the step; differs from the job's own
        /// when the job was adopted from an earlier runner.
        var attemptDirectory: String
        var log: String
        /// Whether the last poll saw the job RUNNING; a requeued job goes from there back to the queue.
        var running = false
    }

    var watched: [String: Watched] = [:]
    /// Steps whose finished result was adopted in `start`; the next poll reports them.
    var adoptedResults: [(StepHandle, ChildProcess.Termination)] = []
    var adoptedCount = 0
    var queryFailingSince: Date?

    /// How long the runner waits for an unreachable controller before it gives up on the jobs.
    public var controllerPatience: TimeInterval = 300

    public init(pipeline: String) {
        self.pipeline = pipeline
    }

    /// Checks that a Slurm controller answers (`sinfo`), and says what to do if not.
    public static func checkReachable() throws {
        // Slurm's clients retry a missing config file for a minute; say so at once instead.
        if let conf = ProcessInfo.processInfo.environment["SLURM_CONF"], !FileManager.default.fileExists(atPath: conf) {
            throw StepFailure("SLURM_CONF is \(conf), which does not exist: point it at the cluster's slurm.conf, "
                              + "unset it, or run with --executor local")
        }
        do {
            try SlurmCommand.run("sinfo", ["-h", "-o", "%P"])
        } catch {
            throw StepFailure("no Slurm cluster answers: \(error). Point SLURM_CONF at the cluster's slurm.conf, "
                              + "start one (bash scripts/slurm-ci.sh start), or run with --executor local")
        }
    }

    public var pollInterval: UInt32 { 250_000 }

    // MARK: Starting

    public func start(_ launch: StepLaunch) throws -> StepHandle {
        if let adopted = try adoptEarlierAttempt(launch) { return adopted }
        let script = "\(launch.attemptDirectory)/job.sh"
        try AtomicFile.write(Data(batchScript(launch).utf8), to: script, mode: 0o755)
        let options = SlurmBatchOptions(jobName: SlurmBatchOptions.jobName(pipeline: pipeline, step: launch.step),
                                        log: launch.log, resources: launch.resources, cpus: launch.cpus,
                                        workingDirectory: FileManager.default.currentDirectoryPath)
        // The job's `_step` is not this process's child: the parent check of local steps must not apply.
        var environment = launch.environment
        environment.removeValue(forKey: StepEntryPoint.runnerVariable)
        let output = try SlurmCommand.run("sbatch", options.arguments + [script], environment: environment)
        // `--parsable` prints `id` or `id;cluster`.
        guard let id = output.split(whereSeparator: { $0 == ";" || $0.isNewline }).first.map(String.init), Int(id) != nil else {
            throw StepFailure("sbatch printed '\(output.trimmingCharacters(in: .whitespacesAndNewlines))' instead of a job id")
        }
        let job = SlurmJob(id: id, step: launch.step, attemptDirectory: launch.attemptDirectory, log: launch.log)
        try job.write()
        submitted.append(id)
        let handle = StepHandle(id: id, label: "job \(id)")
        watched[id] = Watched(job: job, handle: handle, attemptDirectory: launch.attemptDirectory, log: launch.log)
        return handle
    }

    /// `#!/bin/sh` that runs the step; Slurm sets the cores it granted in SLURM_CPUS_PER_TASK.
    func batchScript(_ launch: StepLaunch) -> String {
        let command = launch.arguments.map(Self.shellQuoted).joined(separator: " ")
        return """
            #!/bin/sh
            # Step '\(launch.step)' of pipeline '\(pipeline)', submitted by anneal (runner pid \(getpid())).
            export ANNEAL_CPUS="${SLURM_CPUS_PER_TASK:-1}"
            exec \(command)

            """
    }

    static func shellQuoted(_ text: String) -> String {
        "'" + text.replacingOccurrences(of: "'", with: "'\\''") + "'"
    }

    // MARK: Adopting the work of a runner that died

    /// An earlier attempt at the same step (same fingerprint, so the same work
    /// folder, and the same description apart from its own folder) whose job is
    /// still queued or running, or which ended with status 0 and left its
    /// outputs. Returns the handle to report, or nil to submit a new job.
    func adoptEarlierAttempt(_ launch: StepLaunch) throws -> StepHandle? {
        let work = (launch.attemptDirectory as NSString).deletingLastPathComponent
        let current = (launch.attemptDirectory as NSString).lastPathComponent
        let fm = FileManager.default
        guard let description = fm.contents(atPath: "\(launch.attemptDirectory)/step.json") else { return nil }
        let siblings = ((try? fm.contentsOfDirectory(atPath: work)) ?? [])
            .filter { $0.hasPrefix("attempt-") && $0 != current }.sorted()
        for name in siblings {
            let earlier = "\(work)/\(name)"
            guard let text = fm.contents(atPath: "\(earlier)/step.json").map({ String(decoding: $0, as: UTF8.self) }),
                  Data(text.replacingOccurrences(of: earlier, with: launch.attemptDirectory).utf8) == description else { continue }
            let job = SlurmJob.read(attemptDirectory: earlier)
            if let exit = StepExitRecord.read(attemptDirectory: earlier) {
                guard exit.status == 0 else { continue }
                try moveResult(from: earlier, to: launch.attemptDirectory, log: launch.log,
                               note: "adopted the finished result of \(job.map { "Slurm job \($0.id)" } ?? "an earlier attempt"), "
                                   + "which ended while no runner watched it")
                adoptedCount += 1
                let handle = StepHandle(id: "adopted-\(adoptedCount)", label: job.map { "job \($0.id), adopted" } ?? "adopted")
                adoptedResults.append((handle, exit.termination))
                return handle
            }
            guard let job, let state = try? jobStates([job.id])[job.id], !SlurmJobState.isFinal(state) else { continue }
            appendToLog(launch.log, "anneal: adopted Slurm job \(job.id) (\(state)), submitted by a runner that is gone; "
                        + "its output goes to \(job.log)\n")
            let handle = StepHandle(id: job.id, label: "job \(job.id), adopted")
            watched[job.id] = Watched(job: job, handle: handle, attemptDirectory: launch.attemptDirectory, log: launch.log)
            return handle
        }
        return nil
    }

    /// Moves an attempt's outputs and metrics into the runner's attempt folder,
    /// and copies its log into the runner's log after `note`.
    func moveResult(from earlier: String, to attempt: String, log: String, note: String) throws {
        let fm = FileManager.default
        try? fm.removeItem(atPath: "\(attempt)/out")
        if fm.fileExists(atPath: "\(earlier)/out") {
            try fm.moveItem(atPath: "\(earlier)/out", toPath: "\(attempt)/out")
        }
        if fm.fileExists(atPath: "\(earlier)/metrics.json") {
            try? fm.removeItem(atPath: "\(attempt)/metrics.json")
            try fm.moveItem(atPath: "\(earlier)/metrics.json", toPath: "\(attempt)/metrics.json")
        }
        let earlierLog = SlurmJob.read(attemptDirectory: earlier)?.log
        var text = "anneal: \(note)\n"
        if let earlierLog, earlierLog != log, let old = try? String(contentsOfFile: earlierLog, encoding: .utf8) {
            text += "anneal: its log (\(earlierLog)) follows\n" + old
        }
        appendToLog(log, text)
    }

    func appendToLog(_ log: String, _ text: String) {
        let fd = open(log, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0o644)
        guard fd >= 0 else { return }
        defer { close(fd) }
        _ = text.utf8CString.withUnsafeBufferPointer { write(fd, $0.baseAddress, $0.count - 1) }
    }

    // MARK: Watching

    /// The state of each job Slurm still knows (`squeue -t all` lists ended jobs
    /// for MinJobAge seconds).
    func jobStates(_ ids: [String]) throws -> [String: String] {
        let output: String
        do {
            output = try SlurmCommand.run("squeue", ["-h", "-t", "all", "-j", ids.joined(separator: ","), "-o", "%i|%T"])
        } catch let failure as StepFailure where failure.message.contains("Invalid job id") {
            return [:]  // Slurm has forgotten every one of them
        }
        var states: [String: String] = [:]
        for line in output.split(whereSeparator: \.isNewline) {
            let fields = line.split(separator: "|").map(String.init)
            if fields.count == 2 { states[fields[0]] = fields[1] }
        }
        return states
    }

    public func poll() -> [(StepHandle, ChildProcess.Termination)] {
        var ended = adoptedResults
        adoptedResults.removeAll()
        guard !watched.isEmpty else { return ended }
        let states: [String: String]
        do {
            states = try jobStates(Array(watched.keys))
            queryFailingSince = nil
        } catch {
            let since = queryFailingSince ?? Date()
            queryFailingSince = since
            guard Date().timeIntervalSince(since) > controllerPatience else { return ended }
            for w in watched.values {
                appendToLog(w.log, "anneal: gave up on Slurm job \(w.job.id): squeue failed for \(Int(controllerPatience)) s: \(error)\n")
                ended.append((w.handle, ChildProcess.Termination(exitStatus: nil, signal: nil, cpuSeconds: 0, peakMemoryBytes: 0)))
            }
            watched.removeAll()
            return ended
        }
        for (id, w) in watched {
            let state = states[id]
            if let state, !SlurmJobState.isFinal(state) {
                noteRequeue(id, state: state)
                continue
            }
            watched.removeValue(forKey: id)
            ended.append((w.handle, conclude(w, state: state)))
        }
        return ended
    }

    /// Says in the step's log when a job the runner saw running is back in the
    /// queue: Slurm requeued it (preemption, a node failure, `scontrol requeue`)
    /// and will start its batch script again, which continues from the step's
    /// checkpoints.
    func noteRequeue(_ id: String, state: String) {
        guard var w = watched[id] else { return }
        defer { watched[id] = w }
        if state == "RUNNING" {
            w.running = true
            return
        }
        guard w.running, SlurmJobState.queued.contains(state) else { return }
        w.running = false
        let line = (try? SlurmCommand.run("scontrol", ["show", "job", "-o", id])) ?? ""
        let job = SlurmJobState.fields(scontrolLine: line)
        let restarts = job["Restarts"].map { " (restart \($0))" } ?? ""
        // Slurm holds a requeued job (Reason=BeginTime) until the credential it revoked has expired.
        let until = job["Reason"] == "BeginTime" ? job["StartTime"].map { " until \($0)" } ?? "" : ""
        appendToLog(w.log, "anneal: Slurm requeued job \(id)\(restarts); it waits in the queue\(until), then runs the "
                    + "step again with the work folder as this run left it (a step that checkpoints there continues "
                    + "from its last checkpoint)\n")
    }

    /// How a job that Slurm no longer runs ended, from its state, its exit
    /// code and the exit record its `_step` wrote.
    func conclude(_ w: Watched, state: String?) -> ChildProcess.Termination {
        let exit = StepExitRecord.read(attemptDirectory: w.job.attemptDirectory)
        var termination = exit?.termination
            ?? ChildProcess.Termination(exitStatus: nil, signal: nil, cpuSeconds: 0, peakMemoryBytes: 0)
        if state == "COMPLETED" {
            if exit == nil { termination.exitStatus = 0 }
        } else if let state {
            let line = (try? SlurmCommand.run("scontrol", ["show", "job", "-o", w.job.id])) ?? ""
            let code = SlurmJobState.exitCode(scontrolLine: line)
            if let code, code.signal > 0 {
                termination.exitStatus = nil
                termination.signal = code.signal
            } else if let code, code.status != 0 {
                termination.exitStatus = code.status
            } else if exit?.status == 0 || exit == nil {
                termination.exitStatus = nil  // cancelled before it ran, or ended by Slurm
            }
            let restarts = Int(SlurmJobState.fields(scontrolLine: line)["Restarts"] ?? "") ?? 0
            appendToLog(w.log, "anneal: Slurm job \(w.job.id) ended \(state)"
                        + (code.map { " (ExitCode \($0.status):\($0.signal))" } ?? "")
                        + (restarts > 0 ? " after Slurm requeued it \(restarts) time\(restarts == 1 ? "" : "s")" : "") + "\n")
        } else if exit == nil {
            appendToLog(w.log, "anneal: Slurm no longer knows job \(w.job.id), and its step left no exit record "
                        + "in \(w.job.attemptDirectory): it was killed, or its node lost\n")
        }
        if termination.succeeded && w.job.attemptDirectory != w.attemptDirectory {
            do {
                try moveResult(from: w.job.attemptDirectory, to: w.attemptDirectory, log: w.log,
                               note: "adopted Slurm job \(w.job.id) ended COMPLETED")
            } catch {
                appendToLog(w.log, "anneal: could not take the outputs of job \(w.job.id) from \(w.job.attemptDirectory): \(error)\n")
                return ChildProcess.Termination(exitStatus: 1, signal: nil, cpuSeconds: termination.cpuSeconds,
                                                peakMemoryBytes: termination.peakMemoryBytes)
            }
        }
        return termination
    }

    // MARK: Stopping

    public func interrupt(_ handles: [StepHandle], force: Bool) {
        let ids = handles.map(\.id).filter { watched[$0] != nil }
        guard !ids.isEmpty else { return }
        // Plain scancel: Slurm sends SIGTERM, then SIGKILL after KillWait. Forced: SIGKILL to the whole job now.
        let options = force ? ["--full", "--signal=KILL"] : []
        _ = try? SlurmCommand.run("scancel", options + ids)
        if force { _ = try? SlurmCommand.run("scancel", ids) }
    }
}
