#!/usr/bin/env python3
"""Makes the tiny Llama and Qwen2 reference fixtures of Tests/AnnealModelTests/Fixtures.

Run by hand (not by CI) in the venv of /work/shared/notes/python-hf-stack.md:
    /tmp/hf/bin/python scripts/make-llama-fixtures.py Tests/AnnealModelTests/Fixtures
Each fixture is a `save_pretrained` folder with random weights plus reference.json:
token ids, the float32 logits `transformers` computes for them, the mean
next-token loss on them with each parameter's gradient (norm and first values),
and greedy continuations from `generate(do_sample=False)`. The greedy steps are checked to
have a clear winner (top-1 minus top-2 logit above MIN_MARGIN) so a 1e-5
difference in arithmetic cannot flip a token.

    /tmp/hf/bin/python scripts/make-llama-fixtures.py --check-saved DIR FIXTURE
loads DIR (a folder Anneal saved from FIXTURE) with transformers and checks that
its logits match FIXTURE's reference.
"""
import json
import os
import sys

import torch
from transformers import LlamaConfig, LlamaForCausalLM, Qwen2Config, Qwen2ForCausalLM

VOCAB = 300
TOKENS = [[1, 17, 254, 3, 99, 42, 7, 288], [5, 5, 120, 64, 1, 230, 11, 0]]
PROMPTS = [[1, 17, 254, 3], [200, 9]]
NEW_TOKENS = 12
MIN_MARGIN = 1e-3
GRADIENT_HEAD = 8
COMMON = dict(vocab_size=VOCAB, hidden_size=64, intermediate_size=128, num_hidden_layers=2,
              num_attention_heads=4, num_key_value_heads=2, max_position_embeddings=128,
              rms_norm_eps=1e-5, bos_token_id=1, eos_token_id=2)

FIXTURES = {
    # Tied embeddings, biases on every projection, default RoPE, F32, one file.
    "hf-llama-tied": dict(cls=LlamaForCausalLM, config=LlamaConfig(
        **COMMON, tie_word_embeddings=True, attention_bias=True, mlp_bias=True, rope_theta=10000.0),
        dtype=torch.float32, shard=None),
    # Untied head, llama3 RoPE scaling, head_dim 24 (not 64/4), sharded into several files.
    "hf-llama-llama3-sharded": dict(cls=LlamaForCausalLM, config=LlamaConfig(
        **COMMON, tie_word_embeddings=False, head_dim=24,
        rope_scaling={"rope_type": "llama3", "factor": 8.0, "low_freq_factor": 1.0, "high_freq_factor": 4.0,
                      "original_max_position_embeddings": 64, "rope_theta": 500000.0}),
        dtype=torch.float32, shard="100KB"),
    # Linear RoPE scaling, stored in BF16.
    "hf-llama-linear-bf16": dict(cls=LlamaForCausalLM, config=LlamaConfig(
        **COMMON, tie_word_embeddings=False,
        rope_scaling={"rope_type": "linear", "factor": 2.0, "rope_theta": 10000.0}),
        dtype=torch.bfloat16, shard=None),
    # Qwen2: q/k/v biases, tied embeddings, stored in F16.
    "hf-qwen2-f16": dict(cls=Qwen2ForCausalLM, config=Qwen2Config(
        **COMMON, tie_word_embeddings=True, rope_theta=1000000.0),
        dtype=torch.float16, shard=None),
}


def randomise(model, seed):
    # Larger than the 0.02 default so logits spread out and greedy choices are clear.
    g = torch.Generator().manual_seed(seed)
    with torch.no_grad():
        for name, p in sorted(model.named_parameters()):
            if name.endswith("norm.weight"):
                p.copy_(1 + 0.1 * torch.randn(p.shape, generator=g))
            else:
                p.copy_(0.15 * torch.randn(p.shape, generator=g))


def reference(model):
    model.eval()
    with torch.no_grad():
        logits = model(torch.tensor(TOKENS)).logits.float()
        continuations = []
        margins = []
        for prompt in PROMPTS:
            out = model.generate(torch.tensor([prompt]), max_new_tokens=NEW_TOKENS, min_new_tokens=NEW_TOKENS,
                                 do_sample=False, output_logits=True, return_dict_in_generate=True,
                                 pad_token_id=0)
            continuations.append(out.sequences[0, len(prompt):].tolist())
            for step in out.logits:
                top = torch.topk(step[0].float(), 2).values
                margins.append(float(top[0] - top[1]))
    return logits, continuations, min(margins)


def gradients(model):
    # Mean next-token cross-entropy over TOKENS (labels shifted inside the model), and for
    # each parameter the L2 norm of its gradient and its first GRADIENT_HEAD values.
    model.train()
    model.zero_grad()
    loss = model(torch.tensor(TOKENS), labels=torch.tensor(TOKENS)).loss
    loss.backward()
    model.eval()
    return loss.item(), {name: {"norm": float(p.grad.norm()), "head": [float(f"{x:.7g}") for x in p.grad.flatten()[:GRADIENT_HEAD].tolist()]}
                         for name, p in model.named_parameters()}


def make(root, name, spec, seed):
    torch.manual_seed(seed)
    model = spec["cls"](spec["config"]).float()
    randomise(model, seed)
    model = model.to(spec["dtype"])
    folder = os.path.join(root, name)
    kwargs = {"max_shard_size": spec["shard"]} if spec["shard"] else {}
    model.save_pretrained(folder, **kwargs)
    # The reference runs in float32 on exactly the stored (possibly rounded) weights.
    reloaded = spec["cls"].from_pretrained(folder, dtype=torch.float32)
    logits, continuations, margin = reference(reloaded)
    loss, grads = gradients(reloaded)
    if margin < MIN_MARGIN:
        raise SystemExit(f"{name}: a greedy step has margin {margin:.2e}; pick another seed")
    with open(os.path.join(folder, "reference.json"), "w") as f:
        json.dump({"made_by": "scripts/make-llama-fixtures.py", "seed": seed, "tokens": TOKENS,
                   "logits": [float(f"{x:.7g}") for x in logits.flatten().tolist()],
                   "prompts": PROMPTS, "continuations": continuations,
                   "smallest_greedy_margin": margin, "loss": loss, "gradients": grads}, f, indent=0)
        f.write("\n")
    size = sum(os.path.getsize(os.path.join(folder, n)) for n in os.listdir(folder))
    print(f"{name}: {size} bytes, smallest greedy margin {margin:.3g}")


def check_saved(saved, fixture):
    with open(os.path.join(fixture, "reference.json")) as f:
        ref = json.load(f)
    config = json.load(open(os.path.join(saved, "config.json")))
    cls = {"LlamaForCausalLM": LlamaForCausalLM, "Qwen2ForCausalLM": Qwen2ForCausalLM}[config["architectures"][0]]
    model = cls.from_pretrained(saved, dtype=torch.float32)
    logits, continuations, _ = reference(model)
    worst = (logits.flatten() - torch.tensor(ref["logits"])).abs().max().item()
    print(f"{saved}: loaded as {cls.__name__}, max |logit - reference| {worst:.3g}, "
          f"continuations {'identical' if continuations == ref['continuations'] else 'DIFFERENT'}")
    if worst > 1e-4 or continuations != ref["continuations"]:
        raise SystemExit(1)


if __name__ == "__main__":
    if len(sys.argv) == 4 and sys.argv[1] == "--check-saved":
        check_saved(sys.argv[2], sys.argv[3])
    elif len(sys.argv) == 2:
        for i, (name, spec) in enumerate(FIXTURES.items()):
            make(sys.argv[1], name, spec, seed=20 + i)
    else:
        raise SystemExit(__doc__)
