import ArgumentParser

/// The model to load and how to sample from it, shared by `generate` and `chat`.
struct ModelArguments: ParsableArguments {
    @Argument(help: ArgumentHelp("A model folder, a step ('sft'), an output ('sft.model'), or one of those with --run.", valueName: "model"))
    var model: String

    @Option(name: .customLong("max-tokens"), help: "Tokens to generate at most.")
    var maxTokens: Int = 128

    @Option(help: "Softmax temperature; 0 is greedy.")
    var temperature: Float = 0.8

    @Option(name: .customLong("top-k"), help: "Sample from the k most likely tokens.")
    var topK: Int?

    @Option(name: .customLong("top-p"), help: "Sample from the smallest set of tokens whose probability reaches p.")
    var topP: Float?

    @Option(help: "Seed of the sampling draws.")
    var seed: UInt64 = 0

    @Option(name: .customLong("run"), help: ArgumentHelp("Take the step's output from this recorded run (NAME#N, NAME, NAME~K).", valueName: "run"))
    var runName: String?

    @Option(help: "The pipeline, when several have a step of that name.")
    var pipeline: String?

    func validate() throws {
        guard maxTokens >= 1 else { throw ValidationError("--max-tokens must be at least 1") }
        guard temperature >= 0 else { throw ValidationError("--temperature must be 0 or more") }
        if let topK, topK < 1 { throw ValidationError("--top-k must be at least 1") }
        if let topP, !(topP > 0 && topP <= 1) { throw ValidationError("--top-p must be in (0, 1]") }
    }
}
