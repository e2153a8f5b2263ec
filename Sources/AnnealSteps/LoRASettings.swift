import AnnealEngine
import AnnealModel
import AnnealSpec

/// The LoRA fields of a step's configuration (`LoRAFields`), decoded.
struct LoRASettings: Decodable {
    enum FinetuningType: String, Decodable {
        case full, lora
    }

    var finetuningType: FinetuningType
    var loraR: Int
    var loraAlpha: Float
    /// 0 for a kind whose schema has no `lora_dropout` (PPO samples without dropout).
    var loraDropout: Float
    var loraTarget: [LoRAConfig.Target]
    var mergeLora: Bool

    private enum CodingKeys: String, CodingKey {
        case finetuningType, loraR, loraAlpha, loraDropout, loraTarget, mergeLora
    }

    init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        finetuningType = try c.decode(FinetuningType.self, forKey: .finetuningType)
        loraR = try c.decode(Int.self, forKey: .loraR)
        loraAlpha = try c.decode(Float.self, forKey: .loraAlpha)
        loraDropout = c.contains(.loraDropout) ? try c.decode(Float.self, forKey: .loraDropout) : 0
        loraTarget = try c.decode([LoRAConfig.Target].self, forKey: .loraTarget)
        mergeLora = try c.decode(Bool.self, forKey: .mergeLora)
    }

    /// The adapters asked for, or nil for full fine-tuning.
    func config() throws -> LoRAConfig? {
        guard finetuningType == .lora else { return nil }
        let lora = LoRAConfig(rank: loraR, alpha: loraAlpha, dropout: loraDropout, targets: loraTarget)
        do { try lora.validate() } catch { throw StepFailure("LoRA fields: \(error)") }
        return lora
    }

    /// Whether the output is a PEFT adapter folder rather than merged weights.
    var keepsAdapter: Bool { finetuningType == .lora && !mergeLora }
}
