import AnnealSpec

/// Every step kind Anneal ships, for the compiler and for `anneal kinds`.
public enum StepKinds {
    public static let descriptors: [StepKindDescriptor] = [
        Shell.descriptor,
    ]

    public static var catalog: KindCatalog { KindCatalog(descriptors) }
}
