import AnnealModel
import AnnealSteps
import ArgumentParser
import Foundation

/// `anneal generate MODEL --prompt "..."`: text from a trained model, streamed.
struct GenerateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "generate",
        abstract: "Generate text from a model: a step's model, an output reference, a run's artifact, or a folder.",
        discussion: """
            The prompt is continued as plain text; with --chat it is sent as a user turn through the chat \
            template and generation also stops at the end-of-turn token. Generation stops at the model's \
            end-of-text token (eos_token_id of generation_config.json, else config.json, as transformers \
            reads it), which is not printed.
            """)

    @OptionGroup var model: ModelArguments

    @Option(help: "The text to continue (or, with --chat, the user's message).")
    var prompt: String

    @Flag(help: "Send the prompt through the chat template as a user turn.")
    var chat = false

    @OptionGroup var workspace: WorkspaceOptions

    func run() throws {
        let folder = try ModelLocator.folder(model.model, run: model.runName, pipeline: model.pipeline, workspace: workspace)
        let trained = try ModelLoading.load(folder)
        var ids: [Int32]
        var stops = try ModelLoading.endOfTextTokens(trained)
        if chat {
            let template = try ModelLoading.template(trained)
            ids = template.prompt([ChatMessage(role: "user", content: prompt)])
            stops.insert(template.endOfTurn)
        } else {
            ids = trained.tokenizer.encode(prompt, allowSpecial: true).map { Int32($0) }
            if ids.isEmpty, let eot = trained.tokenizer.tokenId(forSpecial: "<|endoftext|>") { ids = [Int32(eot)] }
            print(prompt, terminator: "")
        }
        let options = SamplingOptions(maxNewTokens: model.maxTokens, temperature: model.temperature, topK: model.topK,
                                      topP: model.topP, stopTokens: stops, seed: model.seed)
        let generator = StreamingGenerator(model: trained.network, tokenizer: trained.tokenizer)
        do {
            _ = try generator.generate(prompt: ids, options: options) { text in
                print(text, terminator: "")
                fflush(nil)
            }
        } catch {
            DiagnosticPrinter.write("\nerror: \(error)\n")
            throw ExitCode(1)
        }
        print()
    }
}
