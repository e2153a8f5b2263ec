import AnnealSpec
import AnnealSteps
import Foundation
import Testing

/// Random mutations of valid pipelines must give a clean error or a plan:
/// never a crash, a hang, or an error that is not a diagnostic.
@Suite struct FuzzTests {
    /// SplitMix64: a small seeded generator so every run mutates the same way.
    struct Generator: RandomNumberGenerator {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
    }

    static let alphabet = Array(":{}[]$-&*!|>'\"\t\n #,.=<~?%@`\\0123456789abcdez_")

    static func mutate(_ text: String, _ rng: inout Generator) -> String {
        var chars = Array(text)
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        switch Int.random(in: 0..<8, using: &rng) {
        case 0 where !chars.isEmpty:
            chars.remove(at: Int.random(in: 0..<chars.count, using: &rng))
            return String(chars)
        case 1:
            chars.insert(alphabet.randomElement(using: &rng)!, at: Int.random(in: 0...chars.count, using: &rng))
            return String(chars)
        case 2 where !chars.isEmpty:
            chars[Int.random(in: 0..<chars.count, using: &rng)] = alphabet.randomElement(using: &rng)!
            return String(chars)
        case 3 where !lines.isEmpty:
            let i = Int.random(in: 0..<lines.count, using: &rng)
            lines.insert(lines[i], at: i)
        case 4 where lines.count > 1:
            lines.swapAt(Int.random(in: 0..<lines.count, using: &rng), Int.random(in: 0..<lines.count, using: &rng))
        case 5 where !lines.isEmpty:
            let i = Int.random(in: 0..<lines.count, using: &rng)
            lines[i] = (Bool.random(using: &rng) ? "  " : "") + String(lines[i].drop { _ in Bool.random(using: &rng) && false }.dropFirst(Int.random(in: 0...2, using: &rng)))
        case 6 where !chars.isEmpty:
            return String(chars.prefix(Int.random(in: 0..<chars.count, using: &rng)))
        default:
            let words = ["${", "}", "${params.", "${a.out}", "${b[*].out}", "&x", "*x", "<<: *x", "- ", "? ", "---", "matrix: {k: [1,2]}", "needs: [a]"]
            chars.insert(contentsOf: words.randomElement(using: &rng)!, at: Int.random(in: 0...chars.count, using: &rng))
            return String(chars)
        }
        return lines.joined(separator: "\n")
    }

    static let seeds: [String] = [
        """
        name: fuzz
        params: { n: 3, words: [a, b], model: { width: 8 } }
        steps:
          a:
            kind: shell
            matrix: { k: [1, 2] }
            with:
              inputs: { raw: data.txt }
              outputs: { out: out.txt, dir: d/ }
              env: { K: "${matrix.k}" }
              command: cat ${inputs.raw} > ${outputs.out}; echo ${params.n}
          b:
            kind: shell
            needs: [a]
            with:
              inputs: { all: "${a[*].out}", one: "${a[k=1].dir}" }
              outputs: { out: out.txt }
              command: cat ${inputs.all} > ${outputs.out}
          t:
            kind: train
            with: &w
              model: ${params.model}
              data: ${b.out}
              tags: ${params.words}
          u:
            kind: train
            with:
              <<: *w
              steps: 4
        """,
    ]

    @Test(.timeLimit(.minutes(2))) func randomMutationsNeverCrash() throws {
        var rng = Generator(state: 20261126)
        var outcomes = [0, 0]
        for i in 0..<3000 {
            var text = Self.seeds[i % Self.seeds.count]
            for _ in 0..<Int.random(in: 1...4, using: &rng) { text = Self.mutate(text, &rng) }
            do {
                _ = try TestKinds.compile(text)
                outcomes[0] += 1
            } catch let e as DiagnosticError {
                #expect(!e.errors.isEmpty, "a failed compile must carry an error")
                for d in e.errors { #expect(!d.message.isEmpty) }
                outcomes[1] += 1
            } catch {
                Issue.record("mutation \(i) threw a non-diagnostic error \(error) for:\n\(text)")
            }
        }
        // Both outcomes occur, so the mutations exercise the error paths and the success path.
        #expect(outcomes[0] > 50 && outcomes[1] > 500, "\(outcomes)")
    }
}
