/// Where one linear projection of a block lives in the parameter buffers:
/// weight [in, out] (Conv1D layout), bias [out], and optional LoRA A [rank, in], B [out, rank].
struct ProjectionLayout {
    let weight: Int
    let bias: Int
    let weightEntry: Int
    let biasEntry: Int
    let inFeatures: Int
    let outFeatures: Int
    var loraA: Int? = nil
    var loraB: Int? = nil
    var loraAEntry = 0
    var loraBEntry = 0
}

/// The parameter offsets of one transformer block.
struct BlockLayout {
    let ln1Weight: Int, ln1Bias: Int, ln1Entries: (Int, Int)
    let ln2Weight: Int, ln2Bias: Int, ln2Entries: (Int, Int)
    var qkv: ProjectionLayout
    var attentionOutput: ProjectionLayout
    var mlpInput: ProjectionLayout
    var mlpOutput: ProjectionLayout
}
