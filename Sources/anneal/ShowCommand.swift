import AnnealEngine
import AnnealSpec
import ArgumentParser
import Foundation

struct ShowCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "show",
        abstract: "Show a run, a step of the last run, or an artifact: what made it, with which config and inputs, and where its files are.",
        discussion: """
            RUN is NAME#N (tiny-chat#12), NAME (its latest run), NAME~K (K runs before the latest) or a commit \
            hash prefix. A STEP shows the step's last run in this workspace (or its record in --run). An \
            ARTIFACT is STEP.OUTPUT or a sha256 prefix of an output's digest (4 hex digits or more).
            """)

    @Argument(help: ArgumentHelp("A run, a step (an instance name for a matrix step), or an artifact.", valueName: "run|step|artifact"))
    var step: String

    @Option(help: "The pipeline, when several have a step of that name.")
    var pipeline: String?

    @Option(name: .customLong("run"), help: ArgumentHelp("Look the step or artifact up in this recorded run.", valueName: "run"))
    var runName: String?

    @OptionGroup var workspace: WorkspaceOptions

    func run() throws {
        let ws = try workspace.open()
        let isRunNumber = step.lastIndex(of: "#").map { Int(step[step.index(after: $0)...]) != nil } ?? false
        // A step of the last run, as `show STEP` always was; also when no run was recorded
        // in the lineage yet, so a misspelt step gets the step lookup's own message.
        let recorded = FileManager.default.fileExists(atPath: ws.lineagePath)
        if !isRunNumber, runName == nil, hasLastState(ws) || !recorded {
            try showLastStep(ws)
            return
        }
        let text = try LineageFailure.reporting {
            let runs = try RecordedRuns(workspace: ws)
            if isRunNumber { return try Self.describe(runs.run(step)) }
            let (recorded, subject) = try locate(runs)
            switch subject {
            case nil: return Self.describe(recorded)
            case .step(let name)?: return try Self.describe(step: name, in: recorded, workspace: ws)
            case .artifact(let artifact)?: return try Self.describe(artifact, in: recorded, workspace: ws)
            }
        }
        print(text, terminator: "")
    }

    /// Whether the argument is a step of a pipeline's last run in this workspace.
    func hasLastState(_ ws: Workspace) -> Bool {
        (pipeline.map { [$0] } ?? RunHistory(workspace: ws).pipelines).contains {
            PipelineState.load(ws, pipeline: $0).steps[step] != nil
        }
    }

    /// The run, or the step or artifact, the argument names; a commit prefix that is
    /// also an output's digest prefix is refused as ambiguous.
    func locate(_ runs: RecordedRuns) throws -> (RecordedRun, LineageSubject?) {
        if runName != nil {
            let (recorded, subject) = try runs.locate(step, run: runName, pipeline: pipeline)
            return (recorded, subject)
        }
        let asRun = try? runs.run(step)
        let asSubject = try? runs.locate(step, pipeline: pipeline)
        switch (asRun, asSubject) {
        case (let r?, nil): return (r, nil)
        case (nil, let s?): return (s.0, s.1)
        case (let r?, let s?):
            if case .step = s.1, !step.allSatisfy(\.isHexDigit) { return (s.0, s.1) }
            throw LineageQueryError("'\(step)' names both run \(r.id) and \(s.1) of \(s.0.id)",
                                    hint: "give more hex digits, or NAME#N for the run")
        case (nil, nil):
            let names = try runs.pipelines() + runs.latestRuns().flatMap { $0.steps.map(\.name) }
            throw LineageQueryError("no run, step or artifact is named '\(step)'\(Suggestion.didYouMean(step, in: names))",
                                    hint: "give NAME#N, NAME, NAME~K or a commit prefix for a run; STEP, STEP.OUTPUT or a sha256 prefix for an artifact; `anneal log` lists the runs")
        }
    }

    // MARK: A step of the last run

    func showLastStep(_ ws: Workspace) throws {
        let (pipelineName, r) = try StepLookup.find(step, pipeline: pipeline, in: ws)
        var out = "step \(r.name) (\(r.kind)) in pipeline \(pipelineName)\n"
        out += "last outcome: \(r.outcome.rawValue)" + (r.reasons.isEmpty ? "" : " — \(r.reasons.joined(separator: "; "))") + "\n"
        out += Self.details(r, pipeline: pipelineName, workspace: ws)
        print(out, terminator: "")
    }

    /// Fingerprint, config, inputs, outputs with their linked paths, metrics and log of a step record.
    static func details(_ r: StepRecord, pipeline: String, workspace ws: Workspace, sources: [String: String] = [:]) -> String {
        var out = ""
        if let f = r.fingerprint { out += "fingerprint: \(f.hex)\n" }
        if let c = r.components {
            out += "config:\n  " + CanonicalJSON.encodePretty(c.config).replacingOccurrences(of: "\n", with: "\n  ") + "\n"
            if !c.inputs.isEmpty {
                out += "inputs:\n" + c.inputs.keys.sorted().map {
                    "  \($0): " + (sources[$0].map { "\($0)  sha256 " } ?? "") + "\(c.inputs[$0]!.hex)\n"
                }.joined()
            }
        }
        if !r.outputs.isEmpty {
            out += "outputs:\n"
            for name in r.outputs.keys.sorted() {
                let o = r.outputs[name]!
                let link = ws.linkPath(pipeline: pipeline, step: r.name, output: name)
                let relative = link.hasPrefix(ws.root + "/") ? String(link.dropFirst(ws.root.count + 1)) : link
                out += "  \(name): \(o.shape.rawValue), \(ProgressDisplay.bytes(Int(o.size))), sha256 \(o.digest.short)..  \(relative)\n"
            }
        }
        if let table = MetricsTable.render(r.metrics) {
            out += "metrics:\n" + table.split(separator: "\n", omittingEmptySubsequences: false).map { $0.isEmpty ? "" : "  \($0)" }.joined(separator: "\n")
        } else if let m = r.metrics.map, !m.isEmpty {
            out += "metrics:\n  " + CanonicalJSON.encodePretty(r.metrics).replacingOccurrences(of: "\n", with: "\n  ") + "\n"
        }
        if let log = r.log { out += "log: \(log)\n" }
        return out
    }

    // MARK: A recorded run

    /// A run: when, who, outcome, workspace git state, params, and each step.
    static func describe(_ run: RecordedRun) -> String {
        let c = run.commit
        var out = "run \(run.id)  commit \(c.id.hex)\n"
        if let file = run.pipelineFile { out += "pipeline: \(file.path)\n" }
        out += "recorded: \(CommitTime.text(c.author)) by \(c.author.name) <\(c.author.email)>\n"
        if let s = run.started, let e = run.ended {
            out += "started \(Timestamps.format(s)), took \(ProgressDisplay.duration(e.timeIntervalSince(s)))\n"
        }
        let counts = RunCommitMessage(parsing: c.message)?.counts.short
        out += "outcome: \(run.outcome)" + (counts.map { " — \($0)" } ?? "") + "\n"
        out += "workspace git: \(gitState(run.workspaceGit))\n"
        out += "params:\n" + ValueLeaves.of(run.params).sorted { $0.key < $1.key }.map { "  \($0.key): \($0.value)\n" }.joined()
        var rows: [[String]] = [["step", "kind", "outcome", "time", "fingerprint", "why"]]
        for s in run.steps {
            let r = s.record
            rows.append([s.name, "\(s.kind) v\(s.kindVersion)", r.outcome.rawValue,
                         r.outcome == .ran || r.outcome == .failed ? ProgressDisplay.duration(r.wallSeconds) : "-",
                         r.fingerprint.map { String($0.hex.prefix(10)) } ?? "-", r.reasons.joined(separator: "; ")])
        }
        return out + "steps:\n" + Table.render(rows).split(separator: "\n", omittingEmptySubsequences: false)
            .map { $0.isEmpty ? "" : "  \($0)" }.joined(separator: "\n")
    }

    static func gitState(_ value: Value) -> String {
        if let problem = value["error"]?.string { return "unknown (\(problem))" }
        guard value["dirty"] != nil else { return "not in a git working tree" }
        let head = value["head"]?.string.map { String($0.prefix(10)) } ?? "no commit yet"
        let branch = value["branch"]?.string.map { "\($0) at " } ?? "detached at "
        let changed = value["changed_paths_total"]?.int ?? value["changed_paths"]?.list?.count ?? 0
        return branch + head + (value["dirty"]?.bool == true ? ", dirty (\(changed) changed path\(changed == 1 ? "" : "s"))" : ", clean")
    }

    // MARK: A step or artifact of a recorded run

    static func describe(step name: String, in run: RecordedRun, workspace ws: Workspace) throws -> String {
        guard let s = run.step(named: name) else { throw LineageQueryError("\(run.id) has no step '\(name)'") }
        var out = "step \(s.name) (\(s.kind) v\(s.kindVersion)) in \(run.id) (commit \(run.commit.id.abbreviated()))\n"
        if let recipe = s.recipe { out += "recipe: \(recipe)\n" }
        out += "outcome: \(s.record.outcome.rawValue)" + (s.record.reasons.isEmpty ? "" : " — \(s.record.reasons.joined(separator: "; "))") + "\n"
        return out + details(s.record, pipeline: run.pipeline, workspace: ws, sources: s.inputLabels)
    }

    /// What made an artifact, with which config and inputs, and where its files are.
    static func describe(_ artifact: ArtifactReference, in run: RecordedRun, workspace ws: Workspace) throws -> String {
        guard let s = run.step(named: artifact.step) else { throw LineageQueryError("\(run.id) has no step '\(artifact.step)'") }
        var out = "artifact \(artifact) in \(run.id) (commit \(run.commit.id.abbreviated()))\n"
        guard let stored = s.record.outputs[artifact.output] else {
            out += "not produced in that run: step \(s.name) \(s.record.outcome.rawValue)"
                + (s.record.reasons.isEmpty ? "" : " (\(s.record.reasons.joined(separator: "; ")))") + "\n"
            return out
        }
        out += "sha256 \(stored.digest.hex)  \(stored.shape == .directory ? "folder" : "file"), \(ProgressDisplay.bytes(Int(stored.size)))\n"
        out += "made by step \(s.name) (\(s.kind) v\(s.kindVersion)\(s.recipe.map { ", recipe \($0)" } ?? "")), "
            + "\(s.record.outcome.rawValue) in that run" + (s.record.outcome == .cached ? " (reused from an earlier run)" : "") + "\n"
        if let f = s.record.fingerprint { out += "fingerprint: \(f.hex)\n" }
        out += "config:\n  " + CanonicalJSON.encodePretty(s.config).replacingOccurrences(of: "\n", with: "\n  ") + "\n"
        if !s.inputs.isEmpty {
            out += "inputs:\n" + s.inputs.map {
                "  \($0.field): \($0.sourceLabel)" + ($0.digest.map { "  sha256 \($0.hex)" } ?? "")
                    + { if case .path = $0 { return "  (source file)" } else { return "" } }($0.source) + "\n"
            }.joined()
        }
        let stores = ws.store.isIntact(stored)
        out += "files: " + (stores ? ws.store.path(of: stored.digest) + (stored.shape == .directory ? " (manifest)" : "")
                                   : "gone from the store (after gc?); rerun step \(s.name) of \(run.id) to make it again") + "\n"
        let link = ws.linkPath(pipeline: run.pipeline, step: s.name, output: artifact.output)
        if stores, let target = try? FileManager.default.destinationOfSymbolicLink(atPath: link),
           target == (try? ws.store.readablePath(stored)) {
            out += "linked at: \(link.hasPrefix(ws.root + "/") ? String(link.dropFirst(ws.root.count + 1)) : link)\n"
        }
        let readers = run.steps.filter { $0.reads(artifact) }.map(\.name)
        if !readers.isEmpty { out += "read by: \(readers.joined(separator: ", "))\n" }
        return out
    }
}
