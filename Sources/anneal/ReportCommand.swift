import AnnealEngine
import ArgumentParser
import Foundation

struct ReportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "Write one self-contained HTML page about a run: its steps, training curves, evaluation, sample answers and lineage.",
        discussion: """
            RUN is NAME#N (tiny-chat#12), NAME (its latest run), NAME~K or a commit prefix; without it, the most \
            recent run in the workspace. The page needs no network: its plots are inline SVG and it has no script. \
            It is written to DIR/report.html (default DIR: .anneal/reports/NAME-N in the workspace).
            """)

    @Argument(help: ArgumentHelp("The recorded run (default: the most recent one).", valueName: "run"))
    var runName: String?

    @Option(name: .customLong("out"), help: ArgumentHelp("The folder to write report.html in.", valueName: "dir"))
    var outDirectory: String?

    @OptionGroup var workspace: WorkspaceOptions

    func run() throws {
        let ws = try workspace.open()
        let path = try LineageFailure.reporting {
            try Self.write(runName: runName, outDirectory: outDirectory, workspace: ws)
        }
        print(path)
    }

    /// Writes the report of the run `runName` names (the most recent run when nil) and returns its path.
    static func write(runName: String?, outDirectory: String?, workspace ws: Workspace) throws -> String {
        let runs = try RecordedRuns(workspace: ws)
        let run: RecordedRun
        if let runName {
            run = try runs.run(runName)
        } else {
            guard let latest = try runs.latestRuns().max(by: { ($0.started ?? .distantPast) < ($1.started ?? .distantPast) }) else {
                throw LineageQueryError("no run is recorded in \(ws.root)", hint: "run a pipeline first: anneal run PIPELINE")
            }
            run = latest
        }
        let dir = outDirectory ?? "\(ws.dot)/reports/\(run.pipeline)-\(run.number)"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        let path = (dir as NSString).appendingPathComponent("report.html")
        let temporary = path + ".tmp-\(getpid())"
        try Data(RunReportPage.html(RunReport(run: run, runs: runs, workspace: ws)).utf8).write(to: URL(fileURLWithPath: temporary))
        guard rename(temporary, path) == 0 else {
            let reason = String(cString: strerror(errno))
            unlink(temporary)
            throw LineageQueryError("cannot write \(path): \(reason)", hint: "check that the folder is writable, or give another with --out")
        }
        return path
    }
}
