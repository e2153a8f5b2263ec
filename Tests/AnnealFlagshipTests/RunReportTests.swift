import Foundation
import Testing

/// `anneal report` on the smoke run: one self-contained page with a plot per training step.
@Suite struct RunReportTests {
    static let trainingSteps = ["base", "sft", "reward", "dpo", "ppo"]

    /// Writes the smoke run's report to a fresh folder and returns its HTML and path.
    static func report() throws -> (html: String, path: String) {
        let run = try SmokeRun.shared.get()
        let out = run.root + "/report-\(UUID().uuidString)"
        let result = try SmokeRun.anneal(["report", "tiny-chat-smoke", "--workspace", run.root, "--out", out], in: run.root)
        #expect(result.status == 0, "anneal report failed: \(result.output)")
        let path = out + "/report.html"
        return (try String(contentsOfFile: path, encoding: .utf8), path)
    }

    @Test func runPrintsTheReportPath() throws {
        let run = try SmokeRun.shared.get()
        let line = run.output.split(separator: "\n").first { $0.hasPrefix("report: ") }
        #expect(line != nil, "anneal run did not print the report's path:\n\(run.output)")
        if let line { #expect(FileManager.default.fileExists(atPath: String(line.dropFirst("report: ".count)))) }
    }

    @Test func pageIsSelfContained() throws {
        let html = try Self.report().html.lowercased()
        #expect(html.hasPrefix("<!doctype html>"))
        #expect(!html.contains("http://") && !html.contains("https://"), "the report names a URL")
        #expect(!html.contains("<script"), "the report has a script")
        #expect(!html.contains("<link"), "the report links an outside resource")
        #expect(!html.contains("src="), "the report loads an outside resource")
    }

    @Test func everyTrainingStepHasACurve() throws {
        let html = try Self.report().html
        for step in Self.trainingSteps {
            guard let start = html.range(of: "<section class=\"training\" data-step=\"\(step)\">") else {
                Issue.record("no training section for \(step)")
                continue
            }
            let rest = html[start.upperBound...]
            let body = rest[..<(rest.range(of: "</section>")?.lowerBound ?? rest.endIndex)]
            #expect(body.contains("<svg") && body.contains("<polyline"), "no curve for \(step)")
        }
        #expect(html.contains("data-chart=\"ppo/KL\""), "no KL curve for ppo")
        #expect(html.contains("data-chart=\"dpo/reward margins\""), "no margin curve for dpo")
        #expect(html.contains("data-chart=\"dag\""), "no DAG")
        #expect(html.contains("<table class=\"evaluation\">"), "no evaluation table")
        #expect(html.contains("<table class=\"samples\">"), "no samples side by side")
        #expect(html.contains("source files:"), "no lineage down to source files")
    }

    static var chromium: String? {
        ["/usr/bin/chromium", "/usr/bin/chromium-browser"].first { FileManager.default.isExecutableFile(atPath: $0) }
    }

    /// Renders the page in headless Chromium: it must load, draw, and keep every plot in its DOM.
    @Test(.enabled(if: RunReportTests.chromium != nil || ProcessInfo.processInfo.environment["CI"] == "true",
                   "needs Debian's chromium package (installed by .ci/run)"))
    func rendersInHeadlessChromium() throws {
        guard let chromium = Self.chromium else {
            Issue.record("chromium is not installed: apt-get install -y chromium")
            return
        }
        let (html, path) = try Self.report()
        let shot = (path as NSString).deletingLastPathComponent + "/report.png"
        let base = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--user-data-dir=\((path as NSString).deletingLastPathComponent)/chromium-profile"]
        let screenshot = try Self.execute(chromium, base + ["--window-size=1280,3000", "--screenshot=\(shot)", "file://\(path)"])
        #expect(screenshot.status == 0, "chromium failed: \(screenshot.output)")
        let png = FileManager.default.contents(atPath: shot) ?? Data()
        #expect(png.starts(with: [0x89, 0x50, 0x4E, 0x47]), "no PNG screenshot at \(shot)")
        // A blank page compresses to a few kilobytes; curves, tables and text do not.
        #expect(png.count > 30_000, "the screenshot is \(png.count) bytes: the page looks empty")
        let dom = try Self.execute(chromium, base + ["--dump-dom", "file://\(path)"])
        #expect(dom.status == 0, "chromium failed: \(dom.output)")
        let parsedCharts = dom.output.components(separatedBy: "<svg").count - 1
        let writtenCharts = html.components(separatedBy: "<svg").count - 1
        #expect(writtenCharts >= Self.trainingSteps.count + 1)
        #expect(parsedCharts == writtenCharts, "chromium's DOM has \(parsedCharts) plots, the page \(writtenCharts)")
        print("report screenshot: \(shot) (\(png.count) bytes), \(parsedCharts) plots in the DOM")
    }

    static func execute(_ tool: String, _ arguments: [String]) throws -> (status: Int32, output: String) {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: tool)
        p.arguments = arguments
        let out = Pipe()
        p.standardOutput = out
        p.standardError = FileHandle.nullDevice
        try p.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        return (p.terminationStatus, String(decoding: data, as: UTF8.self))
    }
}
