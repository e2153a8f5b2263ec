import AnnealEngine
import AnnealSpec
import Testing

/// The `sbatch` options a step's job gets, without a cluster.
struct SlurmBatchOptionsTests {
    func options(resources: Resources, cpus: Int) -> [String] {
        SlurmBatchOptions(jobName: "anneal-p-s", log: "/w/log", resources: resources, cpus: cpus,
                          workingDirectory: "/w").arguments
    }

    @Test func aStepWithoutCpusAsksForTheCoresTheRunnerGrantedIt() {
        // A training kind has no default `cpus`: the runner grants it all of -j, and the job must
        // ask Slurm for as many, or the step would be told 2 cores and be given 1.
        #expect(options(resources: Resources(), cpus: 2).contains("--cpus-per-task=2"))
        #expect(!options(resources: Resources(), cpus: 2).contains("--cpus-per-task=1"))
    }

    @Test func declaredCpusAreAskedFor() {
        var resources = Resources()
        resources.cpus = 3
        #expect(options(resources: resources, cpus: 3).contains("--cpus-per-task=3"))
    }
}
