import AnnealModel
import AnnealSteps
import ArgumentParser
import Foundation

/// `anneal chat MODEL`: an interactive conversation through the chat template,
/// the model's answers streamed as they are generated.
struct ChatCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "chat",
        abstract: "Talk with a model through the chat template (one line per message; /reset, /quit).")

    @OptionGroup var model: ModelArguments

    @Option(help: "A system message that opens the conversation.")
    var system: String?

    @OptionGroup var workspace: WorkspaceOptions

    func run() throws {
        let folder = try ModelLocator.folder(model.model, run: model.runName, pipeline: model.pipeline, workspace: workspace)
        let trained = try ModelLoading.load(folder)
        let template = try ModelLoading.template(trained)
        // A turn ends at the end-of-turn token, or at the model's end of text as transformers would stop.
        let stops = try ModelLoading.endOfTextTokens(trained).union([template.endOfTurn])
        let generator = StreamingGenerator(model: trained.network, tokenizer: trained.tokenizer)
        let opening = system.map { [ChatMessage(role: "system", content: $0)] } ?? []
        var messages = opening
        var turn: UInt64 = 0
        print("chatting with \(folder) (\(trained.network.config.parameterCount) parameters); /reset starts over, /quit or Ctrl-D ends")
        while true {
            print("> ", terminator: "")
            fflush(nil)
            guard let line = readLine() else { print(); return }
            let text = line.trimmingCharacters(in: .whitespaces)
            if text.isEmpty { continue }
            if text == "/quit" || text == "/exit" { return }
            if text == "/reset" {
                messages = opening
                continue
            }
            messages.append(ChatMessage(role: "user", content: text))
            var prompt = template.prompt(messages)
            // Keep the newest turns when the conversation outgrows the context.
            while prompt.count >= trained.network.config.context, messages.count > opening.count + 1 {
                messages.remove(at: opening.count)
                prompt = template.prompt(messages)
            }
            let options = SamplingOptions(maxNewTokens: model.maxTokens, temperature: model.temperature, topK: model.topK,
                                          topP: model.topP, stopTokens: stops, seed: model.seed &+ turn &* 1_000_003)
            turn += 1
            do {
                let (ids, _) = try generator.generate(prompt: prompt, options: options) { piece in
                    print(piece, terminator: "")
                    fflush(nil)
                }
                print()
                messages.append(ChatMessage(role: "assistant", content: try trained.tokenizer.decode(ids.map(Int.init))))
            } catch {
                DiagnosticPrinter.write("\nerror: \(error)\n")
                messages.removeLast()
            }
        }
    }
}
