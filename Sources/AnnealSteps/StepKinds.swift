import AnnealEngine
import AnnealSpec

/// Every step kind Anneal ships, for the compiler, `anneal kinds` and the
/// child processes that run steps.
public enum StepKinds {
    public static let implementations: [any StepImplementation] = [
        Shell(),
        Collect(),
        Tokenizer(),
        Tokenize(),
        Pretrain(),
        SFT(),
        Evaluate(),
        RewardModel(),
        DPO(),
        PPO(),
    ]

    public static var descriptors: [StepKindDescriptor] { implementations.map(\.descriptor) }

    public static var catalog: KindCatalog { KindCatalog(descriptors) }

    public static var byName: [String: any StepImplementation] {
        Dictionary(uniqueKeysWithValues: implementations.map { ($0.descriptor.name, $0) })
    }
}
