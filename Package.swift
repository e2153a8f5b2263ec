// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "Anneal",
    platforms: [.macOS(.v13)],
    products: [
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

        // The pipeline language: YAML -> Spec -> Plan.
        .target(name: "AnnealSpec", dependencies: ["CYAML"]),
        // Store, fingerprints, cache, scheduler, executors.
        .target(name: "AnnealEngine", dependencies: [
            "AnnealSpec", "AnnealLineage",
            .product(name: "Crypto", package: "swift-crypto"),
        ]),
        // Run history in git through libgit2.
        .target(name: "AnnealLineage", dependencies: ["CGit2"]),
        // Float32 tensors and kernels on CBLAS.
        .target(name: "AnnealTensor", dependencies: ["CBLAS"],
                swiftSettings: [.unsafeFlags(["-Ounchecked"], .when(configuration: .release))]),
        // GPT, LoRA, AdamW, safetensors, sampling.
        .target(name: "AnnealModel", dependencies: ["AnnealTensor"],
                swiftSettings: [.unsafeFlags(["-Ounchecked"], .when(configuration: .release))]),
        // Cleaning, filters, dedup, byte-level BPE.
        .target(name: "AnnealText", dependencies: ["CZlib"]),
        // (AnnealSteps, the anneal CLI and the test targets are added below as they land.)
    ]
)
