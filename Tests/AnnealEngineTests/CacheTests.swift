@testable import AnnealEngine
import AnnealSpec
import Foundation
import Testing

@Suite struct CacheTests {
    /// Layers of `width` steps; each reads two outputs of the layer before.
    static func layered(layers: Int, width: Int) -> String {
        var text = "name: layered\nparams:\n"
        for c in 0..<width { text += "  seed\(c): \(c)\n" }
        text += "steps:\n"
        for l in 0..<layers {
            for c in 0..<width {
                text += "  s\(l)_\(c):\n    kind: shell\n    with:\n      outputs: { out: out.txt }\n"
                if l == 0 {
                    text += "      command: echo seed ${params.seed\(c)} > ${outputs.out}\n"
                } else {
                    text += "      inputs: { a: \"${s\(l - 1)_\(c).out}\", b: \"${s\(l - 1)_\((c + 1) % width).out}\" }\n"
                    text += "      command: cat ${inputs.a} ${inputs.b} | sha256sum > ${outputs.out}\n"
                }
            }
        }
        return text
    }

    @Test func aSecondRunIsAllCached() throws {
        let f = try EngineFixture()
        try f.write("p.yaml", Self.layered(layers: 2, width: 3))
        let first = try f.run()
        #expect(first.outcome == .succeeded)
        #expect(first.count(.ran) == 6)
        let second = try f.run()
        #expect(second.count(.cached) == 6)
        #expect(try f.outputs(first) == f.outputs(second))
    }

    @Test func changingOneParamRerunsExactlyItsDownstreamConeAndRevertingIsCached() throws {
        let f = try EngineFixture()
        try f.write("p.yaml", Self.layered(layers: 4, width: 4))
        _ = try f.run()
        let changed = try f.run(params: ["seed1=100"])
        // s0_1 feeds s1_0 and s1_1; each of those feeds two more, and so on.
        var cone: Set<String> = ["s0_1"]
        for l in 1..<4 {
            for c in 0..<4 where cone.contains("s\(l - 1)_\(c)") || cone.contains("s\(l - 1)_\((c + 1) % 4)") {
                cone.insert("s\(l)_\(c)")
            }
        }
        #expect(changed.ranSteps == cone)
        #expect(changed.steps.first { $0.name == "s0_1" }?.reasons == ["with.command: \"echo seed 1 > ${outputs.out}\" -> \"echo seed 100 > ${outputs.out}\""])
        let reverted = try f.run()
        #expect(reverted.count(.cached) == 16, "old results are still in the cache")
    }

    @Test func byteIdenticalOutputsLeaveDownstreamCached() throws {
        let f = try EngineFixture()
        try f.write("p.yaml", """
            name: cutoff
            params: { n: 5 }
            steps:
              parity:
                kind: shell
                with:
                  outputs: { out: out.txt }
                  command: echo $(( ${params.n} % 2 )) > ${outputs.out}
              use:
                kind: shell
                with:
                  inputs: { p: "${parity.out}" }
                  outputs: { out: out.txt }
                  command: cat ${inputs.p} > ${outputs.out}
            """)
        _ = try f.run()
        let again = try f.run(params: ["n=7"])
        #expect(again.outcome(of: "parity") == .ran)
        #expect(again.outcome(of: "use") == .cached)
    }

    @Test func inputFileChangesAreExplained() throws {
        let f = try EngineFixture()
        try f.write("data.txt", "one\n")
        try f.write("p.yaml", """
            name: inputs
            steps:
              copy:
                kind: shell
                with:
                  inputs: { text: data.txt }
                  outputs: { out: out.txt }
                  command: cat ${inputs.text} > ${outputs.out}
            """)
        let first = try f.run()
        #expect(first.steps[0].reasons == ["new step"])
        try f.write("data.txt", "two\n")
        let second = try f.run()
        #expect(second.steps[0].reasons.count == 1)
        #expect(second.steps[0].reasons[0].hasPrefix("input inputs.text (data.txt) changed ("))
        let forced = try f.run { $0.force = ["copy"] }
        #expect(forced.steps[0].reasons == ["forced"])
        #expect(forced.steps[0].outcome == .ran)
    }

    @Test func aCorruptedObjectIsDetectedAndItsStepReruns() throws {
        let f = try EngineFixture()
        try f.write("p.yaml", Self.layered(layers: 2, width: 2))
        let first = try f.run()
        let ws = try Workspace(root: f.root)
        let artifact = try #require(first.steps.first { $0.name == "s0_0" }?.outputs["out"])
        let path = ws.store.path(of: artifact.digest)
        chmod(path, 0o644)
        try "garbage\n".write(toFile: path, atomically: false, encoding: .utf8)
        let second = try f.run()
        #expect(second.outcome(of: "s0_0") == .ran)
        #expect(second.steps.first { $0.name == "s0_0" }?.reasons == ["outputs missing from the store or corrupt"])
        #expect(try f.outputs(first) == f.outputs(second))
    }

    @Test func cacheFalseAlwaysRuns() throws {
        let f = try EngineFixture()
        try f.write("p.yaml", """
            name: nocache
            steps:
              t:
                kind: shell
                cache: false
                with:
                  outputs: { out: out.txt }
                  command: echo hi > ${outputs.out}
            """)
        _ = try f.run()
        let again = try f.run()
        #expect(again.outcome(of: "t") == .ran)
        #expect(again.steps[0].reasons == ["cache: false"])
    }

    @Test func fingerprintEncodingIsStable() {
        // A change to the encoding must bump Fingerprint.formatVersion; this
        // pins the digest of a fixed set of components.
        let c = Fingerprint.Components(format: 1, kind: "shell", kindVersion: 1,
                                       config: .map(["command": .string("echo")]), inputs: [:])
        #expect(Fingerprint(components: c).digest.hex == Digest.of(#"{"config":{"command":"echo"},"format":1,"inputs":{},"kind":"shell","kind_version":1}"#).hex)
    }
}
