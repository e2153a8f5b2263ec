import AnnealSpec
import AnnealSteps
import Foundation
import Testing

/// Every file in Fixtures/invalid is a broken pipeline ending with lines
/// `# expect: LINE:COL | message part`; compiling it must fail with a
/// diagnostic at that place whose message contains that text.
@Suite struct MalformedPipelineTests {
    struct Expectation: CustomStringConvertible {
        var position: String
        var text: String
        var description: String { "\(position) \(text)" }
    }

    static var fixtures: [String] {
        let dir = FixtureFiles.path("invalid")
        return ((try? FileManager.default.contentsOfDirectory(atPath: dir)) ?? [])
            .filter { $0.hasSuffix(".yaml") }.sorted()
    }

    static func expectations(in text: String) -> [Expectation] {
        text.split(separator: "\n").compactMap { line in
            guard line.hasPrefix("# expect: ") else { return nil }
            let rest = line.dropFirst("# expect: ".count)
            let parts = rest.split(separator: "|", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
            return Expectation(position: parts[0], text: parts.count > 1 ? parts[1] : "")
        }
    }

    @Test func thereAreAtLeastFortyFixtures() {
        #expect(Self.fixtures.count >= 40)
    }

    @Test(arguments: fixtures)
    func fixtureFailsWithItsExpectedDiagnostic(_ name: String) throws {
        let path = FixtureFiles.path("invalid/\(name)")
        let text = try String(contentsOfFile: path, encoding: .utf8)
        let expected = Self.expectations(in: text)
        #expect(!expected.isEmpty, "fixture \(name) states no expectation")
        var diagnostics: [Diagnostic] = []
        do {
            _ = try Compiler(catalog: StepKinds.catalog).compile(path: path, environment: ["HOME": "/root"])
            Issue.record("\(name) compiled without error")
            return
        } catch let error as DiagnosticError {
            diagnostics = error.diagnostics
        }
        #expect(diagnostics.contains { $0.severity == .error })
        for e in expected {
            let match = diagnostics.contains { d in
                let place = d.location.map { "\($0.line):\($0.column)" } ?? ""
                return (e.position.isEmpty || place == e.position) && (d.message.contains(e.text) || (d.hint ?? "").contains(e.text))
            }
            #expect(match, "\(name): expected \(e), got:\n\(diagnostics.map(\.description).joined(separator: "\n"))")
        }
        // Every located diagnostic names this fixture or a recipe it uses.
        for d in diagnostics {
            if let file = d.location?.file { #expect(file.hasSuffix(".yaml")) }
        }
    }
}
