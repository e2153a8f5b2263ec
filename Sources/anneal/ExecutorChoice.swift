import AnnealEngine
import ArgumentParser
import Foundation

/// Where `anneal run` runs steps: `--executor`, else `ANNEAL_EXECUTOR`, else local.
enum ExecutorChoice: String, ExpressibleByArgument, CaseIterable {
    /// Child processes of the runner, on this machine.
    case local
    /// One Slurm batch job per step (see docs/slurm.md).
    case slurm

    /// The choice from the command line, or else from `ANNEAL_EXECUTOR`.
    static func resolve(_ option: ExecutorChoice?, environment: [String: String] = ProcessInfo.processInfo.environment) throws -> ExecutorChoice {
        if let option { return option }
        guard let name = environment["ANNEAL_EXECUTOR"], !name.isEmpty else { return .local }
        guard let choice = ExecutorChoice(rawValue: name) else {
            throw StepFailure("ANNEAL_EXECUTOR is '\(name)'; set it to \(allCases.map(\.rawValue).joined(separator: " or ")), or unset it")
        }
        return choice
    }

    /// An executor for `pipeline`; for Slurm, only once a controller answers.
    func makeExecutor(pipeline: String) throws -> StepExecutor {
        switch self {
        case .local:
            return LocalExecutor()
        case .slurm:
            try SlurmExecutor.checkReachable()
            return SlurmExecutor(pipeline: pipeline)
        }
    }
}
