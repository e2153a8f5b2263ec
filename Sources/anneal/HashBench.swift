import AnnealEngine
import ArgumentParser
import Foundation

/// `anneal bench hash`: the speed of the engine's file hashing on one core.
struct HashBench: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "hash",
        abstract: "Hash a generated file with the engine's FileHasher (SHA-256) and print GB/s on one core (target > 1 GB/s).",
        discussion: """
            Writes a file of pseudo-random bytes in a temporary folder, hashes it once untimed (so it is in \
            the page cache, as a file just written by a step is), then times RUNS hashes and reports the \
            median. 1 GB = 10^9 bytes. The hashing is one thread reading 4 MiB blocks, so this is one core. \
            The rate is given by wall time and by the thread's CPU time: on a busy machine the second is the \
            speed of the code, the first what a run got.
            """)

    @Option(help: "File size in MB (10^6 bytes).")
    var megabytes: Int = 1000

    @Option(help: "Timed hashes; the median is reported.")
    var runs: Int = 3

    @Option(help: "Folder for the file (default: the system's temporary folder).")
    var directory: String?

    func run() throws {
        guard megabytes > 0, runs > 0 else { throw ValidationError("--megabytes and --runs must be positive") }
        let folder = directory ?? FileManager.default.temporaryDirectory.path
        let path = "\(folder)/anneal-bench-hash-\(getpid()).bin"
        defer { unlink(path) }
        let bytes = megabytes * 1_000_000
        try Self.writeRandom(path, bytes: bytes)
        let reference = try FileHasher.digest(of: path)
        var times: [Double] = [], cpuTimes: [Double] = []
        for _ in 0..<runs {
            let start = DispatchTime.now().uptimeNanoseconds, cpuStart = Self.threadCPUSeconds()
            let digest = try FileHasher.digest(of: path)
            cpuTimes.append(Self.threadCPUSeconds() - cpuStart)
            times.append(Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9)
            guard digest == reference else { throw ValidationError("the digest changed between runs: \(digest) vs \(reference)") }
        }
        times.sort()
        cpuTimes.sort()
        let median = times[times.count / 2], cpuMedian = cpuTimes[cpuTimes.count / 2]
        let rate = Double(bytes) / 1e9 / median, cpuRate = Double(bytes) / 1e9 / cpuMedian
        print("FileHasher.digest(of:) on \(megabytes) MB, \(runs) runs: median \(Self.fixed(median, 3)) s "
              + "[\(Self.fixed(times.first!, 3))-\(Self.fixed(times.last!, 3))] = \(Self.fixed(rate, 2)) GB/s on one core "
              + "(target > 1 GB/s: \(rate > 1 ? "ok" : "SLOW"))")
        print("by CPU time of the hashing thread: median \(Self.fixed(cpuMedian, 3)) s = \(Self.fixed(cpuRate, 2)) GB/s")
        print("sha256 \(reference)")
    }

    /// Writes `bytes` bytes of xorshift output, 4 MiB at a time.
    static func writeRandom(_ path: String, bytes: Int) throws {
        let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw ValidationError("cannot create \(path): \(String(cString: strerror(errno)))") }
        defer { close(fd) }
        let block = 4 << 20
        var words = [UInt64](repeating: 0, count: block / 8)
        var state: UInt64 = 0x9E37_79B9_7F4A_7C15
        var left = bytes
        while left > 0 {
            for i in words.indices {
                state ^= state << 13
                state ^= state >> 7
                state ^= state << 17
                words[i] = state
            }
            let n = min(left, block)
            let written = words.withUnsafeBytes { write(fd, $0.baseAddress, n) }
            guard written == n else { throw ValidationError("cannot write \(path): \(String(cString: strerror(errno)))") }
            left -= n
        }
    }

    /// CPU time of the calling thread, in seconds.
    static func threadCPUSeconds() -> Double {
        var t = timespec()
        clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t)
        return Double(t.tv_sec) + Double(t.tv_nsec) / 1e9
    }

    static func fixed(_ value: Double, _ digits: Int) -> String {
        String(format: "%.\(digits)f", value)
    }
}
