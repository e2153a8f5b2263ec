/// AnnealModel: the GPT (forward and hand-written backward), LoRA, heads,
/// AdamW, schedules, safetensors I/O and sampling with a KV cache.
