// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "Anneal",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "anneal", targets: ["anneal"]),
        .library(name: "AnnealSpec", targets: ["AnnealSpec"]),
        .library(name: "AnnealModel", targets: ["AnnealModel"]),
        .library(name: "AnnealText", targets: ["AnnealText"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-crypto", from: "3.12.3"),
    ],
    targets: [
        // System libraries: shims only.
        .systemLibrary(name: "CYAML", pkgConfig: "yaml-0.1", providers: [.apt(["libyaml-dev"])]),
        .systemLibrary(name: "CBLAS", pkgConfig: "openblas", providers: [.apt(["libopenblas-dev"])]),
        .systemLibrary(name: "CGit2", pkgConfig: "libgit2", providers: [.apt(["libgit2-dev"])]),
        .systemLibrary(name: "CZlib", pkgConfig: "zlib", providers: [.apt(["zlib1g-dev"])]),

        // AtomicFile and checked writes (fsync, ENOSPC named), for every module that writes.
        .target(name: "AnnealFiles"),
        // The pipeline language: YAML -> Spec -> Plan.
        .target(name: "AnnealSpec", dependencies: ["CYAML"]),
        // Store, fingerprints, cache, scheduler, executors.
        .target(name: "CProcessControl"),
        .target(name: "AnnealEngine", dependencies: [
            "AnnealSpec", "AnnealLineage", "CProcessControl", "AnnealFiles",
            .product(name: "Crypto", package: "swift-crypto"),
        ]),
        // Run history in git through libgit2.
        .target(name: "AnnealLineage", dependencies: ["CGit2"]),
        // Float32 tensors and kernels on CBLAS.
        .target(name: "AnnealTensor", dependencies: ["CBLAS"]),
        // GPT, LoRA, AdamW, safetensors, sampling.
        .target(name: "AnnealModel", dependencies: ["AnnealTensor", "AnnealFiles"]),
        // The losses and estimators of reward models, DPO and PPO, as plain math.
        .target(name: "AnnealAlignment"),
        .testTarget(name: "AnnealAlignmentTests", dependencies: ["AnnealAlignment"]),
        .testTarget(name: "AnnealAlignmentStepsTests", dependencies: ["AnnealTestSupport",
            "AnnealSteps", "AnnealEngine", "AnnealSpec", "AnnealModel", "AnnealText", "AnnealAlignment"]),
        // Cleaning, filters, dedup, byte-level BPE.
        .target(name: "AnnealText", dependencies: ["CZlib", "AnnealFiles"]),
        .testTarget(name: "AnnealLineageTests", dependencies: ["AnnealLineage"]),
        .executableTarget(name: "bench-lineage", dependencies: ["AnnealLineage"]),
        .testTarget(name: "AnnealTextTests", dependencies: ["AnnealText"], resources: [.copy("Fixtures")]),
        .executableTarget(name: "bench-text", dependencies: ["AnnealText"]),
        // One file per step kind.
        .target(name: "AnnealSteps", dependencies: ["AnnealSpec", "AnnealEngine", "AnnealModel", "AnnealTensor", "AnnealText", "AnnealAlignment", "AnnealFiles"]),
        .executableTarget(name: "anneal", dependencies: [
            "AnnealSteps", "AnnealSpec", "AnnealEngine", "AnnealLineage", "AnnealModel", "AnnealText", "AnnealFiles",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ]),
        .testTarget(name: "AnnealSpecTests", dependencies: ["AnnealSpec", "AnnealSteps"],
                    resources: [.copy("Fixtures")]),
        // Package root and anneal binary lookup shared by the test targets.
        .target(name: "AnnealTestSupport", path: "Tests/AnnealTestSupport"),
        .testTarget(name: "AnnealEngineTests", dependencies: ["AnnealTestSupport", "AnnealEngine", "AnnealSpec", "AnnealSteps", "AnnealLineage", "AnnealFiles"]),
        // Needs a Slurm cluster (SLURM_CONF); skipped without one unless CI=true.
        .testTarget(name: "AnnealSlurmTests", dependencies: ["AnnealTestSupport", "AnnealEngine", "AnnealSpec", "AnnealSteps"]),
        .testTarget(name: "AnnealTrainingTests", dependencies: ["AnnealTestSupport", "AnnealSteps", "AnnealEngine", "AnnealSpec", "AnnealModel", "AnnealText"]),
        .testTarget(name: "AnnealStepsTests", dependencies: ["AnnealTestSupport", "AnnealSteps", "AnnealEngine", "AnnealSpec", "AnnealText"]),
        // Runs pipelines/tiny-chat-smoke.yaml with the anneal binary; the report test needs chromium (skipped without it unless CI=true).
        .testTarget(name: "AnnealFlagshipTests", dependencies: ["AnnealTestSupport", "AnnealEngine", "AnnealSpec"]),
        .testTarget(name: "AnnealTensorTests", dependencies: ["AnnealTensor"]),
        .testTarget(name: "AnnealModelTests", dependencies: ["AnnealModel", "AnnealTensor"],
                    resources: [.copy("Fixtures")]),
        .executableTarget(name: "bench-model", dependencies: ["AnnealModel", "AnnealTensor"]),
    ]
)
