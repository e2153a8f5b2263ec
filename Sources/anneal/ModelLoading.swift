import AnnealSteps
import ArgumentParser

/// Loads a model folder for the CLI, turning a failure into a message and exit 1.
enum ModelLoading {
    static func load(_ folder: String) throws -> TrainedModel {
        do { return try TrainedModel.load(folder) } catch {
            DiagnosticPrinter.write("error: cannot load the model in \(folder): \(error)\n")
            throw ExitCode(1)
        }
    }

    static func endOfTextTokens(_ model: TrainedModel) throws -> Set<Int32> {
        do { return try model.endOfTextTokens() } catch {
            DiagnosticPrinter.write("error: \(error)\n")
            throw ExitCode(1)
        }
    }

    static func template(_ model: TrainedModel) throws -> ChatTemplate {
        do { return try ChatTemplate(tokenizer: model.tokenizer) } catch {
            DiagnosticPrinter.write("error: \(model.directory): \(error)\n")
            throw ExitCode(1)
        }
    }
}
