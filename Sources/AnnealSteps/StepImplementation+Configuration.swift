import AnnealEngine
import AnnealSpec

extension StepImplementation {
    /// The step's configuration read as `T` under this kind's schema: the one
    /// way a kind reads its settings, so each default is the schema's.
    func configuration<T: Decodable>(_ context: StepContext, as type: T.Type = T.self) throws -> T {
        do {
            return try ConfigurationDecoder.decode(type, from: context.config, schema: descriptor.schema)
        } catch let error as ConfigurationError {
            throw StepFailure("step '\(context.step)' (\(descriptor.name)): \(error)")
        }
    }
}
