// bench-lineage: the speed of the lineage layer on a history shaped like Anneal's.
//
// Records N runs (default 1,000) of a 50-step pipeline on refs/anneal/bench in a
// fresh bare repository (each commit: pipeline YAML, 6 recipes, plan.json,
// run.json, about 30 KB of text), then times what the CLI commands do on top:
// log (the whole history), show (one file of one run), diff (two runs), resolve
// (a hash prefix), and a lineage-style scan (run.json of every run).
//
// Usage: swift run -c release --scratch-path .build-lineage bench-lineage [--runs N] [--keep DIR] [--gc]
// (--gc: then pack the repository with plain `git gc` and time the reads again)
import AnnealLineage
import Foundation

let arguments = Array(CommandLine.arguments.dropFirst())
func option(_ name: String) -> String? {
    guard let index = arguments.firstIndex(of: name), index + 1 < arguments.count else { return nil }
    return arguments[index + 1]
}
guard let runCount = Int(option("--runs") ?? "1000"), runCount >= 2 else {
    FileHandle.standardError.write(Data("bench-lineage: --runs takes a whole number of 2 or more\n".utf8))
    exit(2)
}
let steps = 50

/// Milliseconds taken by `body`.
func milliseconds(_ body: () throws -> Void) rethrows -> Double {
    let start = DispatchTime.now().uptimeNanoseconds
    try body()
    return Double(DispatchTime.now().uptimeNanoseconds - start) / 1e6
}

func format(_ ms: Double) -> String { String(format: "%.2f ms", ms) }

/// The files Anneal records for run `run`: only the learning rate and the run
/// record's numbers change from run to run, as in a real sweep.
func runFiles(run: Int) -> [String: Data] {
    let rate = String(format: "%.6f", 0.0001 * Double(run % 7 + 1))
    var pipeline = "name: bench\nparams:\n  seed: 7\nsteps:\n"
    var plan = "{\n  \"pipeline\": \"bench\",\n  \"steps\": [\n"
    var record = "{\n  \"run\": \(run),\n  \"steps\": [\n"
    for step in 0..<steps {
        pipeline += "  step\(step):\n    recipe: recipes/r\(step % 6).yaml\n    with: { lr: \(rate), input: ${step\(max(0, step - 1)).out} }\n"
        plan += "    {\"name\": \"step\(step)\", \"kind\": \"sft\", \"fingerprint\": \"\(String(repeating: "ab", count: 32))\", \"config\": {\"lr\": \(rate), \"epochs\": 3}},\n"
        let ran = (step + run) % 5 == 0
        record += "    {\"name\": \"step\(step)\", \"status\": \"\(ran ? "ran" : "cached")\", \"seconds\": \(Double(step * run % 97) / 10), \"output\": \"sha256:\(String(format: "%064x", step * 1_000_003 + run))\"},\n"
    }
    plan += "  ]\n}\n"
    record += "  ]\n}\n"
    var files = ["pipeline.yaml": Data(pipeline.utf8), "plan.json": Data(plan.utf8), "run.json": Data(record.utf8)]
    for recipe in 0..<6 {
        files["recipes/r\(recipe).yaml"] = Data("kind: sft\nwith:\n  epochs: 3\n  batch: \(8 * (recipe + 1))\n".utf8)
    }
    return files
}

/// The best and the median of five timings: the first run pays for cold caches.
func repeated(_ body: () throws -> Void) rethrows -> (best: Double, median: Double) {
    var times: [Double] = []
    for _ in 0..<5 { times.append(try milliseconds(body)) }
    times.sort()
    return (times[0], times[2])
}

/// Times what `anneal log`, `show`, `diff`, a hash prefix and `lineage` read.
func measureReads(_ repository: LineageRepository, ref: String, ids: [CommitID], label: String) throws {
    print("-- reads, \(label):")
    var count = 0
    let log = try repeated { count = try repository.history(ref: ref).count }
    print("log: history of \(count) commits: median \(format(log.median)), best \(format(log.best))   target < 200 ms")

    let reads = 200
    let read = try milliseconds {
        for index in 0..<reads {
            _ = try repository.readFile(commit: ids[(index * 7919) % ids.count], path: "plan.json")
        }
    }
    print("show: read plan.json of one run: mean \(format(read / Double(reads))) over \(reads) reads   target < 10 ms")

    var changed = 0
    let diff = try repeated {
        changed = try repository.diff(from: ids[ids.count / 2], to: ids[ids.count - 1]).changes.count
    }
    print("diff: two runs (\(changed) files changed): median \(format(diff.median)), best \(format(diff.best))   target < 200 ms")

    let resolve = try repeated { _ = try repository.resolve(revision: ids[ids.count / 3].abbreviated()) }
    print("resolve a 7-digit prefix: median \(format(resolve.median))")

    let scan = try repeated {
        for summary in try repository.history(ref: ref) {
            _ = try repository.readFile(commit: summary.id, path: "run.json")
        }
    }
    print("lineage scan: run.json of all \(ids.count) runs: median \(format(scan.median)), best \(format(scan.best))   (anneal lineage target < 200 ms)")
}

struct BenchError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

let directory = option("--keep") ?? NSTemporaryDirectory() + "bench-lineage-\(getpid())"
defer { if option("--keep") == nil { try? FileManager.default.removeItem(atPath: directory) } }

do {
    let repository = try LineageRepository(at: directory + "/lineage.git")
    let ref = try LineageRepository.runRef(pipeline: "bench")
    let sampleSize = runFiles(run: 1).values.reduce(0) { $0 + $1.count }
    print("bench-lineage: \(runCount) runs of a \(steps)-step pipeline, \(runFiles(run: 1).count) files (\(sampleSize / 1024) KB) per commit")

    var commitTimes: [Double] = []
    var ids: [CommitID] = []
    for run in 1...runCount {
        let files = runFiles(run: run)
        commitTimes.append(try milliseconds {
            ids.append(try repository.commit(
                ref: ref, files: files, message: "bench #\(run): \(run % 5) ran, \(steps - run % 5) cached",
                author: CommitAuthor(name: "Bench", email: "bench@anneal.invalid", time: 1_700_000_000 + Int64(run))))
        })
    }
    commitTimes.sort()
    let mean = commitTimes.reduce(0, +) / Double(commitTimes.count)
    print("record a run (commit of \(runFiles(run: 1).count) files): mean \(format(mean)), p50 \(format(commitTimes[commitTimes.count / 2])), p95 \(format(commitTimes[commitTimes.count * 95 / 100])), max \(format(commitTimes.last!))   target < 50 ms")

    // Recording a run also probes the workspace's own git state; time it on the
    // directory the bench runs in (a real checkout, when run from one).
    let here = FileManager.default.currentDirectoryPath
    var state: WorkspaceGitState?
    let probe = try repeated { state = try WorkspaceGitState.probe(directory: here) }
    if let state {
        print("workspace git state of \(state.repositoryRoot) (\(state.changedPaths.count) changed paths): median \(format(probe.median))")
    } else {
        print("workspace git state: \(here) is not in a git repository (\(format(probe.median)) to find out)")
    }

    try measureReads(repository, ref: ref, ids: ids, label: "loose objects")
    if arguments.contains("--gc") {
        // What a repository looks like after someone runs plain `git gc` on it:
        // packed refs and one packfile. The bench may use the git CLI; the library never does.
        let gc = Process()
        gc.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        gc.arguments = ["git", "--git-dir", directory + "/lineage.git", "gc", "--quiet"]
        try gc.run()
        gc.waitUntilExit()
        guard gc.terminationStatus == 0 else { throw BenchError("git gc failed with status \(gc.terminationStatus)") }
        try measureReads(try LineageRepository(at: directory + "/lineage.git"), ref: ref, ids: ids, label: "after git gc")
        let record = try milliseconds {
            try repository.commit(ref: ref, files: runFiles(run: runCount + 1), message: "bench after gc",
                                  author: CommitAuthor(name: "Bench", email: "bench@anneal.invalid", time: 1_800_000_000))
        }
        print("record a run after git gc: \(format(record))   target < 50 ms")
    }
    if option("--keep") != nil { print("repository kept at \(directory)/lineage.git") }
} catch {
    FileHandle.standardError.write(Data("bench-lineage: \(error)\n".utf8))
    exit(1)
}
