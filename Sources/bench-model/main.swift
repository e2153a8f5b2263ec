// bench-model: training throughput, MFU against the sgemm rate measured in the
// same process, where the time goes, generation speed and peak memory.
//
//   swift run -c release --scratch-path .build-model bench-model [--config a|b|c|gen|all]
//       [--threads 2] [--warmup 3] [--steps 15] [--no-generation]
//
// Like the PyTorch peer script, each timed step first waits (within
// $QUIET_BUDGET_S seconds, default 120) until other processes use < 0.1 cores.
import AnnealModel
import AnnealTensor
import Dispatch
import Foundation

struct BenchConfig {
    let name: String, config: GPTConfig, batch: Int
}

let configs = [
    BenchConfig(name: "a", config: GPTConfig(layers: 4, heads: 4, width: 256, context: 128, vocabulary: 4096), batch: 16),
    BenchConfig(name: "b", config: GPTConfig(layers: 6, heads: 6, width: 384, context: 256, vocabulary: 8192), batch: 8),
    BenchConfig(name: "c", config: GPTConfig(layers: 2, heads: 2, width: 128, context: 64, vocabulary: 1024), batch: 32),
]

var arguments = CommandLine.arguments.dropFirst()
var selected = "all", threads = 2, warmup = 3, steps = 15, generation = true
while let flag = arguments.popFirst() {
    switch flag {
    case "--config": selected = arguments.popFirst() ?? "all"
    case "--threads": threads = Int(arguments.popFirst() ?? "") ?? 2
    case "--warmup": warmup = Int(arguments.popFirst() ?? "") ?? 3
    case "--steps": steps = Int(arguments.popFirst() ?? "") ?? 15
    case "--no-generation": generation = false
    default:
        print("usage: bench-model [--config a|b|c|gen|all] [--threads N] [--warmup N] [--steps N] [--no-generation]")
        exit(2)
    }
}
ComputeThreads.set(threads)

func now() -> Double { Double(DispatchTime.now().uptimeNanoseconds) * 1e-9 }
func median(_ xs: [Double]) -> Double { let s = xs.sorted(); return s.count % 2 == 1 ? s[s.count / 2] : (s[s.count / 2 - 1] + s[s.count / 2]) / 2 }
func residentMiB() -> Double {
    guard let text = try? String(contentsOfFile: "/proc/self/statm", encoding: .utf8) else { return 0 }
    let fields = text.split(separator: " ")
    guard fields.count > 1, let resident = Double(fields[1]) else { return 0 }
    return resident * Double(sysconf(Int32(_SC_PAGESIZE))) / 1_048_576
}
func peakMiB() -> Double {
    var usage = rusage()
    getrusage(__rusage_who_t(RUSAGE_SELF.rawValue), &usage)
    return Double(usage.ru_maxrss) / 1024
}

/// Busy CPU-seconds of the whole machine (user+nice+system+irq+softirq) from /proc/stat.
func machineBusySeconds() -> Double {
    guard let text = try? String(contentsOfFile: "/proc/stat", encoding: .utf8),
          let line = text.split(separator: "\n").first else { return 0 }
    let v = line.split(separator: " ").dropFirst().prefix(7).compactMap { Double($0) }
    guard v.count == 7 else { return 0 }
    return (v[0] + v[1] + v[2] + v[5] + v[6]) / Double(sysconf(Int32(_SC_CLK_TCK)))
}
func ownCPUSeconds() -> Double {
    var usage = rusage()
    getrusage(__rusage_who_t(RUSAGE_SELF.rawValue), &usage)
    return Double(usage.ru_utime.tv_sec) + Double(usage.ru_utime.tv_usec) * 1e-6
        + Double(usage.ru_stime.tv_sec) + Double(usage.ru_stime.tv_usec) * 1e-6
}
/// As the PyTorch peer script: sleep until other processes use < 0.10 cores
/// over 0.2 s, within a budget of $QUIET_BUDGET_S seconds (default 120).
nonisolated(unsafe) var quietBudget = Double(ProcessInfo.processInfo.environment["QUIET_BUDGET_S"] ?? "") ?? 120
func waitQuiet() {
    while quietBudget > 0 {
        let b0 = machineBusySeconds()
        usleep(200_000)
        if (machineBusySeconds() - b0) / 0.2 < 0.10 { return }
        quietBudget -= 0.2
    }
}

/// The best sgemm rate over shapes like the model's (and square ones), GFLOP/s.
@MainActor func measureSgemm() -> Double {
    var best = 0.0
    for (m, n, k) in [(1024, 1024, 1024), (2048, 768, 256), (2048, 1024, 256), (2048, 256, 1024), (2048, 1536, 384)] {
        let a = Tensor(shape: [m, k]), b = Tensor(shape: [k, n]), c = Tensor(shape: [m, n])
        for i in 0..<a.count { a[i] = Float(i % 7) * 0.01 }
        for i in 0..<b.count { b[i] = Float(i % 5) * 0.01 }
        var samples: [Double] = []
        for _ in 0..<7 {
            let t0 = now()
            for _ in 0..<4 {
                Matmul.gemm(transposeA: false, transposeB: false, m: m, n: n, k: k, a: a.pointer, lda: k,
                            b: b.pointer, ldb: n, beta: 0, c: c.pointer, ldc: n)
            }
            samples.append((now() - t0) / 4)
        }
        let rate = 2.0 * Double(m * n * k) / median(samples) * 1e-9
        print(String(format: "SGEMM threads=%d M=%d N=%d K=%d median_gflops=%.1f", threads, m, n, k, rate))
        best = max(best, rate)
    }
    return best
}

@MainActor func benchTraining(_ bench: BenchConfig, peak: Double) throws {
    let config = bench.config, b = bench.batch, t = config.context
    let model = try GPT(config: config, seed: 0)
    let optimiser = AdamW(parameters: model.parameters, config: .init(weightDecay: 0.1))
    var generator = SeededGenerator(seed: 1)
    let batches = (0..<4).map { _ in
        ((0..<(b * t)).map { _ in Int32(generator.next() % UInt64(config.vocabulary)) },
         (0..<(b * t)).map { _ in Int32(generator.next() % UInt64(config.vocabulary)) })
    }
    let profile = StepProfile()
    var times: [Double] = [], forwardTimes: [Double] = [], backwardTimes: [Double] = [], optimiserTimes: [Double] = []
    var rss: [Double] = [], losses: [Float] = [], foreign: [Double] = []
    for step in 0..<(warmup + steps) {
        if step == warmup { model.profile = profile }
        if step >= warmup { waitQuiet() }
        let (x, y) = batches[step % batches.count]
        let busy0 = machineBusySeconds(), own0 = ownCPUSeconds()
        let t0 = now()
        model.parameters.zeroGradients()
        try model.forward(tokens: x, targets: y, batch: b, length: t)
        let t1 = now()
        try model.backward(uniformWeight: 1 / Float(b * t))
        let t2 = now()
        optimiser.update(model.parameters, learningRate: 3e-4)
        let t3 = now()
        losses.append(model.meanLoss())
        if step >= warmup {
            foreign.append(max(0, (machineBusySeconds() - busy0 - (ownCPUSeconds() - own0)) / (t3 - t0)))
            times.append(t3 - t0); forwardTimes.append(t1 - t0); backwardTimes.append(t2 - t1); optimiserTimes.append(t3 - t2)
            rss.append(residentMiB())
        }
    }
    let med = median(times)
    let tokensPerSecond = Double(b * t) / med
    let gflops = tokensPerSecond * config.trainingFlopsPerToken(length: t) * 1e-9
    let total = times.reduce(0, +)
    let shares = StepProfile.Phase.allCases.map { phase in
        String(format: "%@=%.0f%%", phase.rawValue, 100 * (profile.seconds[phase] ?? 0) / total)
    }.joined(separator: " ")
    let optimiserShare = 100 * optimiserTimes.reduce(0, +) / total
    print(String(format: "TRAIN config=%@ threads=%d params=%d tokens_per_step=%d step_ms_median=%.1f step_ms_min=%.1f tokens_per_s=%.0f achieved_gflops=%.1f mfu_vs_sgemm=%.3f sgemm_gflops=%.1f forward_ms=%.1f backward_ms=%.1f adamw_ms=%.1f",
                 bench.name, threads, config.parameterCount, b * t, med * 1e3, times.min()! * 1e3, tokensPerSecond,
                 gflops, gflops / peak, peak, median(forwardTimes) * 1e3, median(backwardTimes) * 1e3, median(optimiserTimes) * 1e3))
    let cleanTimes = zip(times, foreign).filter { $0.1 < 0.15 }.map(\.0)
    print(String(format: "  clean steps (other processes < 0.15 cores): %d of %d, clean median %.1f ms; mean foreign load %.2f cores",
                 cleanTimes.count, times.count, cleanTimes.isEmpty ? .nan : median(cleanTimes) * 1e3, foreign.reduce(0, +) / Double(foreign.count)))
    print(String(format: "  time shares: %@ adamw=%.0f%% other=%.0f%%", shares, optimiserShare,
                 100 - optimiserShare - 100 * profile.seconds.values.reduce(0, +) / total))
    print(String(format: "  memory: rss_first_step=%.1f MiB rss_last_step=%.1f MiB peak_rss=%.1f MiB activations=%.1f MiB; loss %.3f -> %.3f",
                 rss.first!, rss.last!, peakMiB(), Double(model.activationBytes) / 1_048_576, losses.first!, losses.last!))
}

/// Tokens per second generating 128 tokens after a 16-token prompt at config (b), batch 1 and 16.
@MainActor func benchGeneration() throws {
    let config = configs[1].config
    let model = try GPT(config: config, seed: 0)
    let sampler = Sampler(model: model)
    var generator = SeededGenerator(seed: 3)
    for batch in [1, 16] {
        let prompts = (0..<batch).map { _ in (0..<16).map { _ in Int32(generator.next() % UInt64(config.vocabulary)) } }
        for (label, options) in [("greedy", SamplingOptions.greedy(maxNewTokens: 128)),
                                 ("top_k50_t0.8", SamplingOptions(maxNewTokens: 128, temperature: 0.8, topK: 50, seed: 1))] {
            var samples: [Double] = []
            var produced = 0
            for _ in 0..<3 {
                let t0 = now()
                let out = try sampler.generate(prompts: prompts, options: options)
                samples.append(now() - t0)
                produced = out.reduce(0) { $0 + $1.tokens.count }
            }
            let med = median(samples)
            print(String(format: "GENERATE config=b threads=%d batch=%d sampling=%@ prompt=16 new_tokens=%d seconds_median=%.3f tokens_per_s=%.0f (prompt steps included)",
                         threads, batch, label, produced, med, Double(produced) / med))
        }
    }
    print(String(format: "  memory: peak_rss=%.1f MiB", peakMiB()))
}

let peak = measureSgemm()
print(String(format: "SGEMM best_median_gflops=%.1f threads=%d", peak, threads))
for bench in configs where selected == "all" || selected == bench.name {
    try benchTraining(bench, peak: peak)
}
if generation && (selected == "all" || selected == "gen") {
    try benchGeneration()
}
