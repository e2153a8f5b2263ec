import AnnealEngine
import AnnealLineage
import ArgumentParser

/// How the lineage commands report a question they cannot answer: `error: ...`
/// on standard error (what is wrong and what to do), then exit status 1.
enum LineageFailure {
    /// Runs `body`, turning lineage errors into a printed message and exit 1.
    static func reporting<T>(_ body: () throws -> T) throws -> T {
        do {
            return try body()
        } catch let error as LineageQueryError {
            DiagnosticPrinter.write("error: \(error)\n")
        } catch let error as LineageError {
            DiagnosticPrinter.write("error: \(error)\n")
        }
        throw ExitCode(1)
    }
}
