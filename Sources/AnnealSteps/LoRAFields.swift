import AnnealEngine
import AnnealModel
import AnnealSpec

/// The LoRA fields of `sft`, `dpo` and `ppo` (PPO without `lora_dropout`); read as `LoRASettings`.
enum LoRAFields {
    static let fields: [Field] = [
        Field("finetuning_type", .enumeration(["full", "lora"]), default: .string("full"),
              doc: "full: every weight trains; lora: low-rank adapters on a frozen base"),
        Field("lora_r", .int(min: 1, max: 1024), default: .int(8), doc: "LoRA rank"),
        Field("lora_alpha", .float(min: 0), default: .float(16), doc: "LoRA alpha (the adapter is scaled by alpha / r)"),
        Field("lora_dropout", .float(min: 0, max: 0.99), default: .float(0), doc: "dropout on the adapter input during training"),
        Field("lora_target", .list(.enumeration(LoRAConfig.Target.allCases.map(\.rawValue))), default: .list([.string("c_attn")]),
              doc: "projections that get adapters: c_attn, attn.c_proj, c_fc, mlp.c_proj"),
        Field("merge_lora", .bool, default: .bool(true),
              doc: "write LoRA merged into full weights (true) or as a PEFT adapter folder that names its base (false)"),
    ]
}
