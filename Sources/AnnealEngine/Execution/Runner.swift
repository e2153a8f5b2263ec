import AnnealFiles
import AnnealSpec
import Foundation

/// Runs a plan: decides for each step whether its outputs are in the cache,
/// runs the others as child processes (up to `jobs` at once, in dependency
/// order), stores their outputs, and records what happened and why.
public final class Runner {
    public let workspace: Workspace
    public let plan: Plan
    public let options: RunOptions
    /// The anneal binary that runs `_step` in child processes.
    public let executable: String
    public let display: ProgressDisplay
    /// Where steps run.
    public let executor: StepExecutor
    let hasher: InputHasher

    enum State {
        case pending
        case running
        case finished
    }

    struct Running {
        var step: PlannedStep
        var handle: StepHandle
        var fingerprint: Fingerprint
        var record: StepRecord
        var attempt: String
        var outputDirectory: String
        var progressFile: String
        var metricsFile: String
        var cpus: Int
    }

    var state: [String: State] = [:]
    var records: [String: StepRecord] = [:]
    /// Outputs of finished steps; absent for steps that would run (dry run).
    var outputs: [String: [String: StoredArtifact]] = [:]
    var running: [StepHandle: Running] = [:]
    var stopping = false
    var previous: PipelineState

    public init(workspace: Workspace, plan: Plan, options: RunOptions, executable: String,
                display: ProgressDisplay = ProgressDisplay(), executor: StepExecutor = LocalExecutor()) {
        self.workspace = workspace
        self.plan = plan
        self.options = options
        self.executable = executable
        self.display = display
        self.executor = executor
        hasher = InputHasher(memo: workspace.memo)
        // --verify: every digest this run relies on comes from the bytes.
        if options.verify { workspace.memo.trustsStamps = false }
        previous = PipelineState.load(workspace, pipeline: plan.pipeline)
    }

    /// The number the next run of this pipeline gets.
    public var nextNumber: Int { previous.runs + 1 }

    // MARK: Selection

    /// Instance names matching a user's step name (a base name selects every instance).
    func resolveNames(_ names: [String], option: String) throws -> Set<String> {
        var out = Set<String>()
        for name in names {
            let matches = plan.steps.filter { $0.name == name || $0.baseName == name }.map(\.name)
            guard !matches.isEmpty else {
                throw StepFailure("\(option) \(name): the pipeline has no step '\(name)'\(Suggestion.didYouMean(name, in: Set(plan.steps.map(\.baseName))))")
            }
            out.formUnion(matches)
        }
        return out
    }

    func upstream(of names: Set<String>) -> Set<String> {
        var seen = names
        var stack = Array(names)
        while let n = stack.popLast() {
            for d in plan.step(named: n)?.dependencies ?? [] where seen.insert(d).inserted { stack.append(d) }
        }
        return seen
    }

    func downstream(of names: Set<String>) -> Set<String> {
        var seen = names
        for step in plan.steps where !seen.contains(step.name) && step.dependencies.contains(where: seen.contains) {
            seen.insert(step.name)
        }
        return seen
    }

    func selection() throws -> (selected: Set<String>, forced: Set<String>) {
        var selected = Set(plan.steps.map(\.name))
        if !options.only.isEmpty { selected = try resolveNames(options.only, option: "--only") }
        if let u = options.until { selected.formIntersection(upstream(of: try resolveNames([u], option: "--until"))) }
        if let f = options.from { selected.formIntersection(downstream(of: try resolveNames([f], option: "--from"))) }
        var forced = try resolveNames(options.force, option: "--force")
        if options.forceDownstream { forced = downstream(of: forced) }
        return (selected, forced)
    }

    // MARK: Running

    /// Runs the plan and returns its record. Throws only for problems before
    /// any step starts (an unknown step name); step failures are in the record.
    public func run() throws -> RunRecord {
        let (selected, forced) = try selection()
        if let recovery = previous.recovery { display.warning(recovery) }
        let started = Date()
        let number = previous.runs + 1
        for s in plan.steps { state[s.name] = .pending }
        if !options.dryRun { Interruption.install() }
        defer { if !options.dryRun { Interruption.restore() } }

        var interruptsHandled: Int32 = 0
        var pending = Array(plan.steps.indices)
        while true {
            if Interruption.count > interruptsHandled {
                interruptsHandled = Interruption.count
                stopping = true
                let signal = interruptsHandled >= 2 ? SIGKILL : SIGINT
                if !running.isEmpty {
                    display.line(interruptsHandled >= 2 ? "interrupted again: killing running steps"
                                 : "interrupted: stopping running steps (Ctrl-C again to kill them)")
                }
                executor.interrupt(Array(running.keys), force: signal == SIGKILL)
            }
            var changed = true
            while changed {
                changed = false
                // Only steps still pending are visited, by index: copying every
                // planned step on every pass made a run quadratic in its size.
                pending.removeAll { state[plan.steps[$0].name] != .pending }
                for i in pending where advance(plan.steps[i], selected: selected, forced: forced, number: number) {
                    changed = true
                }
            }
            if running.isEmpty { break }
            let ended = executor.poll()
            for (handle, termination) in ended {
                if let r = running.removeValue(forKey: handle) { finish(r, termination) }
            }
            if !ended.isEmpty { continue }
            display.tick(running.values.sorted { $0.record.started! < $1.record.started! }.map {
                ProgressDisplay.Live(name: $0.step.name, started: $0.record.started!, progressFile: $0.progressFile)
            })
            // Woken by a step's end; the bound keeps the display and Ctrl-C
            // (whose handler may run on another thread) responsive.
            executor.waitForEnd(upTo: 50_000)
        }
        display.finish()
        workspace.memo.save()

        let interrupted = Interruption.count > 0 && !options.dryRun
        let steps = plan.steps.map { records[$0.name]! }
        let failed = steps.contains { $0.outcome == .failed }
        let outcome: RunRecord.Outcome = options.dryRun ? .planned : interrupted ? .interrupted : failed ? .failed : .succeeded
        let record = RunRecord(pipeline: plan.pipeline, number: number, started: started, ended: Date(),
                               outcome: outcome, params: plan.params, steps: steps)
        if !options.dryRun {
            try AtomicFile.write(CanonicalJSON.encodePretty(record.value) + "\n",
                                 to: "\(workspace.dot)/runs/\(plan.pipeline)/\(number).json")
            var state = previous
            state.runs = number
            for s in steps where s.outcome == .ran || s.outcome == .cached {
                state.steps[s.name] = s
            }
            try state.save(workspace, pipeline: plan.pipeline)
        }
        return record
    }

    /// Moves a pending step forward if it can; returns whether anything changed.
    func advance(_ step: PlannedStep, selected: Set<String>, forced: Set<String>, number: Int) -> Bool {
        // Wait for every dependency to finish.
        var unknownUpstream: [String] = []
        for d in step.dependencies {
            guard state[d] == .finished else { return false }
            let r = records[d]!
            switch r.outcome {
            case .failed, .skipped, .interrupted:
                let why = r.outcome == .skipped ? "upstream step '\(d)' did not run" : "upstream step '\(d)' \(r.outcome == .failed ? "failed" : "was interrupted")"
                conclude(step, .skipped, [why])
                return true
            case .wouldRun:
                unknownUpstream.append(d)
            default:
                break
            }
        }
        if !unknownUpstream.isEmpty {
            let names = unknownUpstream.map { "'\($0)'" }.joined(separator: ", ")
            conclude(step, .wouldRun, ["waits for \(names); runs if \(unknownUpstream.count == 1 ? "its" : "their") outputs change"])
            return true
        }
        // A step that must run but waits for a free slot keeps the decision it
        // already made, instead of hashing and reading the cache on every poll.
        if let waiting = waitingForSlot[step.name] {
            return startIfRoom(step, waiting, number: number)
        }
        let fingerprint: Fingerprint
        var sources: [String: String] = [:]
        do {
            fingerprint = try Fingerprint.of(step) { source in
                switch source {
                case .artifact(let a):
                    guard let o = outputs[a.step]?[a.output] else { throw StepFailure("output \(a) is not available") }
                    return o.digest
                case .path(let p):
                    return try hasher.digest(path: p, baseDirectory: plan.baseDirectory)
                }
            }
            sources = inputSources(step)
        } catch {
            conclude(step, .failed, ["cannot compute its identity: \(error)"])
            return true
        }

        let cachedEntry = step.cache ? cacheHit(fingerprint.digest) : nil
        let isForced = forced.contains(step.name)
        if let entry = cachedEntry, !isForced {
            var r = StepRecord(name: step.name, kind: step.kind, outcome: .cached, reasons: ["up to date"])
            r.fingerprint = fingerprint.digest
            r.components = fingerprint.components
            r.outputs = entry.outputs
            r.metrics = entry.metrics
            r.log = previous.steps[step.name]?.log
            outputs[step.name] = entry.outputs
            finishRecord(step, r)
            if !options.dryRun { link(step, entry.outputs) }
            return true
        }
        let reasons = reasons(step, fingerprint: fingerprint, forced: isForced, sources: sources)
        if !selected.contains(step.name) {
            conclude(step, .skipped, ["not selected, and not up to date (\(reasons.joined(separator: "; ")))"])
            return true
        }
        if options.dryRun {
            var r = StepRecord(name: step.name, kind: step.kind, outcome: .wouldRun, reasons: reasons)
            r.fingerprint = fingerprint.digest
            r.components = fingerprint.components
            finishRecord(step, r)
            return true
        }
        let decision = Decision(fingerprint: fingerprint, reasons: reasons)
        waitingForSlot[step.name] = decision
        return startIfRoom(step, decision, number: number)
    }

    /// A step's decision to run, kept while it waits for a slot.
    struct Decision {
        var fingerprint: Fingerprint
        var reasons: [String]
    }

    var waitingForSlot: [String: Decision] = [:]

    /// Starts a step that must run if the cores it needs are free.
    func startIfRoom(_ step: PlannedStep, _ decision: Decision, number: Int) -> Bool {
        if stopping {
            waitingForSlot[step.name] = nil
            conclude(step, .skipped, [Interruption.count > 0 ? "the run was interrupted" : "the run stopped after a failure (use --keep-going to go on)"])
            return true
        }
        let jobs = max(1, options.jobs)
        let cpus = min(jobs, step.resources.cpus ?? jobs)
        guard running.values.reduce(0, { $0 + $1.cpus }) + cpus <= jobs else { return false }
        waitingForSlot[step.name] = nil
        start(step, fingerprint: decision.fingerprint, reasons: decision.reasons, number: number, cpus: cpus)
        return true
    }

    /// Names the source of each input field for messages: `corpus.train` or a path.
    func inputSources(_ step: PlannedStep) -> [String: String] {
        var out: [String: String] = [:]
        for (field, source) in InputSources.of(step) {
            switch source {
            case .artifact(let a): out[field] = a.description
            case .path(let p): out[field] = p
            }
        }
        return out
    }

    /// The cache entry for a fingerprint, if every output is still intact in the store.
    func cacheHit(_ fingerprint: Digest) -> ActionCache.Entry? {
        guard let entry = workspace.actions.lookup(fingerprint) else { return nil }
        for artifact in entry.outputs.values where !workspace.store.isIntact(artifact) {
            if !options.dryRun { workspace.store.removeCorrupt(artifact) }
            return nil
        }
        return entry
    }

    func reasons(_ step: PlannedStep, fingerprint: Fingerprint, forced: Bool, sources: [String: String]) -> [String] {
        if forced { return ["forced"] }
        if !step.cache { return ["cache: false"] }
        guard let last = previous.steps[step.name], let components = last.components else { return ["new step"] }
        let diffs = Explanation.differences(previous: components, current: fingerprint.components, sources: sources)
        if diffs.isEmpty {
            return workspace.actions.lookup(fingerprint.digest) == nil ? ["not in the cache"] : ["outputs missing from the store or corrupt"]
        }
        return diffs
    }

    func conclude(_ step: PlannedStep, _ outcome: StepRecord.Outcome, _ reasons: [String]) {
        finishRecord(step, StepRecord(name: step.name, kind: step.kind, outcome: outcome, reasons: reasons))
    }

    func finishRecord(_ step: PlannedStep, _ record: StepRecord) {
        state[step.name] = .finished
        records[step.name] = record
        switch record.outcome {
        case .cached, .wouldRun:
            break
        case .skipped:
            display.line("  skip    \(step.name): \(record.reasons.joined(separator: "; "))")
        default:
            break
        }
    }

    func start(_ step: PlannedStep, fingerprint: Fingerprint, reasons: [String], number: Int, cpus: Int) {
        var record = StepRecord(name: step.name, kind: step.kind, outcome: .ran, reasons: reasons)
        record.fingerprint = fingerprint.digest
        record.components = fingerprint.components
        record.started = Date()
        let work = workspace.workDirectory(fingerprint.digest)
        let attempt = "\(work)/attempt-\(getpid())-\(number)"
        let fm = FileManager.default
        do {
            try verifyInputs(step)
            try? fm.removeItem(atPath: attempt)
            try fm.createDirectory(atPath: attempt, withIntermediateDirectories: true)
            let logDir = workspace.logDirectory(pipeline: plan.pipeline, step: step.name)
            try fm.createDirectory(atPath: logDir, withIntermediateDirectories: true)
            let log = "\(logDir)/\(number).log"
            try? fm.removeItem(atPath: log)
            record.log = log
            let config = try resolvedConfig(step.config)
            let description = StepContext(step: step.name, kind: step.kind, config: config, outputs: step.outputs,
                                          outputDirectory: "\(attempt)/out", workDirectory: work,
                                          progressFile: "\(attempt)/progress", metricsFile: "\(attempt)/metrics.json",
                                          inputs: StepContext.inputReferences(planned: step.config, resolved: config))
            try AtomicFile.write(CanonicalJSON.encodePretty(description.descriptionValue), to: "\(attempt)/step.json", durability: .scratch)
            var environment = ProcessInfo.processInfo.environment
            environment[StepEntryPoint.runnerVariable] = String(getpid())
            environment["ANNEAL_CPUS"] = String(cpus)
            StepEntryPoint.limitBLASThreads(&environment, cpus: cpus)
            let handle = try executor.start(StepLaunch(step: step.name, arguments: [executable, "_step", "\(attempt)/step.json"],
                                                       log: log, environment: environment, cpus: cpus,
                                                       resources: step.resources, attemptDirectory: attempt))
            state[step.name] = .running
            if !handle.label.isEmpty { record.job = handle.label }
            running[handle] = Running(step: step, handle: handle, fingerprint: fingerprint, record: record,
                                           attempt: attempt, outputDirectory: "\(attempt)/out",
                                           progressFile: "\(attempt)/progress", metricsFile: "\(attempt)/metrics.json",
                                           cpus: cpus)
            display.line("  run     \(step.name)\(handle.label.isEmpty ? "" : " (\(handle.label))"): \(reasons.joined(separator: "; "))")
        } catch {
            record.outcome = .failed
            record.ended = Date()
            record.reasons = ["could not start: \(error)"]
            finishRecord(step, record)
            display.line("  FAILED  \(step.name): could not start: \(error)")
            if !options.keepGoing { stopping = true }
        }
    }

    /// Checks every stored input of a step before the step reads it (through
    /// the memo, or from the bytes with --verify). A corrupt object is removed,
    /// so the next run rebuilds it, and the step does not run on it.
    func verifyInputs(_ step: PlannedStep) throws {
        for case .artifact(let a) in InputSources.of(step).map(\.source) {
            guard let o = outputs[a.step]?[a.output], !workspace.store.isIntact(o) else { continue }
            workspace.store.removeCorrupt(o)
            throw StepFailure("input \(a) is corrupt in the store (object \(o.digest.short) does not hash to its name); "
                              + "it was removed: run again to rebuild it")
        }
    }

    /// The config a child reads: inputs replaced by absolute paths to read.
    func resolvedConfig(_ value: Value) throws -> Value {
        switch value {
        case .artifact(let a):
            guard let o = outputs[a.step]?[a.output] else { throw StepFailure("output \(a) is not available") }
            return .path(try workspace.store.readablePath(o))
        case .path(let p):
            return .path(InputHasher.absolute(p, baseDirectory: plan.baseDirectory))
        case .list(let items):
            return .list(try items.map(resolvedConfig))
        case .map(let m):
            return .map(try m.mapValues(resolvedConfig))
        default:
            return value
        }
    }

    func finish(_ r: Running, _ termination: ChildProcess.Termination) {
        var record = r.record
        record.ended = Date()
        record.cpuSeconds = termination.cpuSeconds
        record.peakMemoryBytes = termination.peakMemoryBytes
        record.exitStatus = termination.exitStatus
        if let text = try? String(contentsOfFile: r.metricsFile, encoding: .utf8), let m = try? JSONReader.parse(text) {
            record.metrics = m
        }
        let time = ProgressDisplay.duration(record.wallSeconds)
        if Interruption.count > 0 && !termination.succeeded {
            record.outcome = .interrupted
            record.reasons.append("interrupted (\(termination.summary))")
            finishRecord(r.step, record)
            display.line("  stopped \(r.step.name) after \(time)")
            return
        }
        guard termination.succeeded else {
            // A failed attempt's files are never read again; on a full disk
            // they hold the space the next run needs. Checkpoints stay.
            try? FileManager.default.removeItem(atPath: r.attempt)
            record.outcome = .failed
            record.reasons.append("the step failed: \(termination.summary)")
            finishRecord(r.step, record)
            display.line("  FAILED  \(r.step.name) after \(time): \(termination.summary); log \(record.log ?? "")\n" + logTail(record.log))
            if !options.keepGoing { stopping = true }
            return
        }
        do {
            var stored: [String: StoredArtifact] = [:]
            for o in r.step.outputs {
                let path = "\(r.outputDirectory)/\(o.path)"
                // lstat: a link is judged as a link, never by what it points at.
                var st = stat()
                guard lstat(path, &st) == 0 else {
                    throw StoreError.missingOutput(o.name, "was not created (expected \(o.shape == .directory ? "a folder" : "a file") at \(o.path))")
                }
                if st.st_mode & S_IFMT == S_IFLNK {
                    throw StoreError.symbolicLink("'\(o.name)' (\(o.path))", (try? FileManager.default.destinationOfSymbolicLink(atPath: path)) ?? "?")
                }
                let isDirectory = st.st_mode & S_IFMT == S_IFDIR
                guard isDirectory == (o.shape == .directory) else {
                    throw StoreError.missingOutput(o.name, "is \(isDirectory ? "a folder" : "a file"), but was declared as \(o.shape == .directory ? "a folder" : "a file")")
                }
                stored[o.name] = o.shape == .directory
                    ? try workspace.store.ingest(directory: path, move: true)
                    : try workspace.store.ingest(file: path, move: true)
            }
            // Only now, with every output in the store, is the result cached.
            if r.step.cache {
                try workspace.actions.store(ActionCache.Entry(fingerprint: r.fingerprint.digest, components: r.fingerprint.components,
                                                              outputs: stored, metrics: record.metrics))
            }
            record.outputs = stored
            outputs[r.step.name] = stored
            finishRecord(r.step, record)
            try? FileManager.default.removeItem(atPath: workspace.workDirectory(r.fingerprint.digest))
            link(r.step, stored)
            display.line("  done    \(r.step.name) in \(time)")
        } catch {
            try? FileManager.default.removeItem(atPath: r.attempt)
            record.outcome = .failed
            record.reasons.append("\(error)")
            finishRecord(r.step, record)
            display.line("  FAILED  \(r.step.name): \(error)")
            if !options.keepGoing { stopping = true }
        }
    }

    func logTail(_ log: String?, lines: Int = 12) -> String {
        guard let log, let text = try? String(contentsOfFile: log, encoding: .utf8) else { return "" }
        return text.split(separator: "\n", omittingEmptySubsequences: false).suffix(lines + 1).map { "    | \($0)" }.joined(separator: "\n")
    }

    /// Links outputs where people look: `runs/<pipeline>/<step>/<output>`.
    func link(_ step: PlannedStep, _ stored: [String: StoredArtifact]) {
        for (name, artifact) in stored {
            let target: String
            do { target = try workspace.store.readablePath(artifact) } catch { continue }
            let linkPath = workspace.linkPath(pipeline: plan.pipeline, step: step.name, output: name)
            if (try? FileManager.default.destinationOfSymbolicLink(atPath: linkPath)) == target { continue }
            try? FileManager.default.createDirectory(atPath: (linkPath as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
            let temp = linkPath + ".tmp-\(getpid())"
            unlink(temp)
            if symlink(target, temp) == 0 { rename(temp, linkPath) }
        }
    }
}
