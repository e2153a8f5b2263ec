#!/usr/bin/env python3
"""Builds the tokenizer fixtures of the model families (run by hand, not in CI).

    /tmp/hf/bin/python scripts/make-tokenizer-fixtures.py

For each family kind it trains a tiny BPE on Tests/AnnealTextTests/Fixtures/families/corpus.txt
with Hugging Face `tokenizers`, configured like the family's published tokenizer.json (the same
normalizer, pre-tokenizer, model flags, decoder, post-processor and kinds of added tokens; the
configurations follow transformers' convert_slow_tokenizer.py and the published files), writes
<family>/tokenizer.json and <family>/tokenizer_config.json, and records in <family>/reference.json the
ids of every text of texts.json (plus the family's texts with added tokens) with and without
special tokens, and `decode` of those ids with and without skip_special_tokens.
Anneal's tests compare against these files without Python.
"""
import json
import os
import sys

import tokenizers
import transformers
from tokenizers import AddedToken, Regex, Tokenizer, decoders, models, normalizers, pre_tokenizers, processors, trainers

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from chat_templates_of_families import CONVERSATIONS, FEATURE_MESSAGES, FEATURES, TEMPLATES  # noqa: E402

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "Tests", "AnnealTextTests", "Fixtures", "families")
CORPUS = os.path.join(ROOT, "corpus.txt")

# The pre-tokenizer regexes as Llama 3 and Qwen2 ship them in tokenizer.json.
LLAMA3_PATTERN = r"(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}{1,3}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+"
QWEN2_PATTERN = r"(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+"


def byte_level(name, normalizer, pre_tokenizer, specials, vocab_size, ignore_merges=False):
    tok = Tokenizer(models.BPE(ignore_merges=ignore_merges))
    tok.normalizer = normalizer
    tok.pre_tokenizer = pre_tokenizer
    tok.decoder = decoders.ByteLevel()
    trainer = trainers.BpeTrainer(vocab_size=vocab_size, initial_alphabet=pre_tokenizers.ByteLevel.alphabet(),
                                  special_tokens=specials, show_progress=False)
    tok.train([CORPUS], trainer)
    return tok


def sentencepiece_like(normalizer, pre_tokenizer, decoder, specials, vocab_size):
    """A BPE with byte fallback laid out like Llama 2's and Gemma's: the special tokens first, then the
    256 byte tokens <0x00>..<0xFF> (in the vocabulary, not added tokens), then the learned pieces."""
    tok = Tokenizer(models.BPE(unk_token=specials[0] if "<unk>" == specials[0] else "<unk>", byte_fallback=True, fuse_unk=True))
    tok.normalizer = normalizer
    tok.pre_tokenizer = pre_tokenizer
    tok.decoder = decoder
    trainer = trainers.BpeTrainer(vocab_size=vocab_size, special_tokens=specials, limit_alphabet=70, show_progress=False)
    tok.train([CORPUS], trainer)
    data = json.loads(tok.to_str())
    vocab = data["model"]["vocab"]
    ordered = sorted(vocab.items(), key=lambda kv: kv[1])
    new_vocab = {}
    for t, _ in ordered[:len(specials)]:
        new_vocab[t] = len(new_vocab)
    for b in range(256):
        new_vocab["<0x%02X>" % b] = len(new_vocab)
    for t, _ in ordered[len(specials):]:
        if t not in new_vocab:
            new_vocab[t] = len(new_vocab)
    data["model"]["vocab"] = new_vocab
    for a in data["added_tokens"]:
        a["id"] = new_vocab[a["content"]]
    return Tokenizer.from_str(json.dumps(data))


def template(bos):
    return processors.TemplateProcessing(single=f"{bos} $A", pair=f"{bos} $A {bos} $B", special_tokens=[(bos, 0)])


def fix_template_ids(tok, bos):
    tok.post_processor = processors.TemplateProcessing(single=f"{bos} $A", pair=f"{bos} $A {bos} $B",
                                                       special_tokens=[(bos, tok.token_to_id(bos))])


def families():
    out = {}

    # Llama 3.x: Split(Llama 3 regex) + ByteLevel without regex, ignore_merges, BOS by TemplateProcessing.
    t = byte_level("llama3", None, pre_tokenizers.Sequence([
        pre_tokenizers.Split(Regex(LLAMA3_PATTERN), behavior="isolated", invert=False),
        pre_tokenizers.ByteLevel(add_prefix_space=False, trim_offsets=True, use_regex=False)]),
        ["<|begin_of_text|>", "<|end_of_text|>", "<|start_header_id|>", "<|end_header_id|>", "<|eot_id|>"], 700, ignore_merges=True)
    bos = "<|begin_of_text|>"
    t.post_processor = processors.Sequence([processors.ByteLevel(trim_offsets=False),
                                            processors.TemplateProcessing(single=f"{bos} $A", pair=f"{bos} $A {bos} $B",
                                                                          special_tokens=[(bos, t.token_to_id(bos))])])
    out["llama3"] = (t, {"bos_token": bos, "eos_token": "<|eot_id|>"},
                     ["<|begin_of_text|><|start_header_id|>user<|end_header_id|>\n\nHi there!<|eot_id|>",
                      "text<|eot_id|>more <|end_of_text|> end"])

    # Qwen2 / Qwen2.5: NFC, Split(Qwen2 regex) + ByteLevel without regex, no BOS; merges as legacy strings.
    t = byte_level("qwen2", normalizers.NFC(), pre_tokenizers.Sequence([
        pre_tokenizers.Split(Regex(QWEN2_PATTERN), behavior="isolated", invert=False),
        pre_tokenizers.ByteLevel(add_prefix_space=False, trim_offsets=False, use_regex=False)]),
        ["<|endoftext|>", "<|im_start|>", "<|im_end|>"], 700)
    t.post_processor = processors.ByteLevel(trim_offsets=False)
    # Added tokens exercising the flags HF honours when splitting them out (Qwen2 ships non-special ones too).
    t.add_tokens([AddedToken("<tool_call>", special=False, normalized=False),
                  AddedToken("[L]", lstrip=True, special=False, normalized=False),
                  AddedToken("[R]", rstrip=True, special=False, normalized=False),
                  AddedToken("xyz", single_word=True, special=False, normalized=False),
                  AddedToken("naïve", special=False, normalized=True)])
    out["qwen2"] = (t, {"bos_token": None, "eos_token": "<|im_end|>"},
                    ["<|im_start|>system\nYou are helpful.<|im_end|>\n<|im_start|>assistant\n",
                     "<tool_call>{\"a\": 1}</tool_call>", "a   [L]   b   [R]   c", "xyz axyz xyzb (xyz) xyz",
                     "nai\u0308ve naïve"])

    # SmolLM / SmolLM2: Digits(individual) then ByteLevel with the GPT-2 regex, no BOS.
    t = byte_level("smollm", None, pre_tokenizers.Sequence([
        pre_tokenizers.Digits(individual_digits=True),
        pre_tokenizers.ByteLevel(add_prefix_space=False, trim_offsets=True, use_regex=True)]),
        ["<|endoftext|>", "<|im_start|>", "<|im_end|>"], 700)
    t.post_processor = processors.ByteLevel(trim_offsets=False)
    out["smollm"] = (t, {"bos_token": "<|im_start|>", "eos_token": "<|im_end|>"},
                     ["<|im_start|>user\nWhat is 12345?<|im_end|>\n"])

    # Llama 2 / TinyLlama (legacy SentencePiece conversion): Prepend + Replace normalizers, no pre-tokenizer,
    # byte fallback, decoder Replace/ByteFallback/Fuse/Strip, BOS <s>.
    t = sentencepiece_like(normalizers.Sequence([normalizers.Prepend("▁"), normalizers.Replace(" ", "▁")]), None,
                           decoders.Sequence([decoders.Replace("▁", " "), decoders.ByteFallback(), decoders.Fuse(),
                                              decoders.Strip(" ", 1, 0)]),
                           ["<unk>", "<s>", "</s>"], 600)
    fix_template_ids(t, "<s>")
    out["llama2"] = (t, {"bos_token": "<s>", "eos_token": "</s>"},
                     ["<s>[INST] Hi [/INST] Hello</s>", "a</s> b", "<unk> x"])

    # Mistral v0.3 style (non-legacy conversion): Metaspace pre-tokenizer with prepend_scheme "first".
    t = sentencepiece_like(None, pre_tokenizers.Metaspace(replacement="▁", prepend_scheme="first", split=False),
                           decoders.Metaspace(replacement="▁", prepend_scheme="first", split=False),
                           ["<unk>", "<s>", "</s>"], 600)
    t.add_special_tokens([AddedToken("[INST]", special=True, normalized=False),
                          AddedToken("[/INST]", special=True, normalized=False)])
    fix_template_ids(t, "<s>")
    out["mistral"] = (t, {"bos_token": "<s>", "eos_token": "</s>"},
                      ["<s>[INST] Hi there [/INST] Hello</s>", "[INST]x[/INST]"])

    # Gemma / Gemma 2: Replace normalizer only (no prepended ▁), Split(" ", merged_with_previous),
    # decoder Replace/ByteFallback/Fuse, BOS <bos>.
    t = sentencepiece_like(normalizers.Replace(" ", "▁"), pre_tokenizers.Split(" ", "merged_with_previous"),
                           decoders.Sequence([decoders.Replace("▁", " "), decoders.ByteFallback(), decoders.Fuse()]),
                           ["<pad>", "<eos>", "<bos>", "<unk>"], 600)
    t.add_special_tokens([AddedToken("<start_of_turn>", special=True, normalized=False),
                          AddedToken("<end_of_turn>", special=True, normalized=False)])
    fix_template_ids(t, "<bos>")
    out["gemma"] = (t, {"bos_token": "<bos>", "eos_token": "<eos>"},
                    ["<bos><start_of_turn>user\nHi<end_of_turn>\n<start_of_turn>model\n"])
    return out


def unknown_token_tokenizer():
    """A character-level BPE without byte fallback (no family ships exactly this; it checks the
    unk_token path of the same model): characters outside the vocabulary become <unk>, runs of
    them fused into one."""
    t = sentencepiece_like(normalizers.Sequence([normalizers.Prepend("▁"), normalizers.Replace(" ", "▁")]), None,
                           decoders.Sequence([decoders.Replace("▁", " "), decoders.ByteFallback(), decoders.Fuse(),
                                              decoders.Strip(" ", 1, 0)]),
                           ["<unk>", "<s>", "</s>"], 600)
    data = json.loads(t.to_str())
    data["model"]["byte_fallback"] = False
    data["model"]["vocab"] = {k: v for k, v in data["model"]["vocab"].items() if not k.startswith("<0x")}
    return Tokenizer.from_str(json.dumps(data))


def reference_cases(tok, texts):
    cases = []
    for text in texts:
        with_special = tok.encode(text, add_special_tokens=True).ids
        ids = tok.encode(text, add_special_tokens=False).ids
        cut = with_special[:-1]
        cases.append({"text": text, "ids": ids, "ids_with_special": with_special,
                      "decoded": tok.decode(with_special, skip_special_tokens=False),
                      "decoded_skipping_special": tok.decode(with_special, skip_special_tokens=True),
                      # The ids without the last one: a character may be cut in the middle of its bytes.
                      "decoded_without_last": tok.decode(cut, skip_special_tokens=False)})
    return cases


def render_features():
    """Renders each feature template with transformers and records the text."""
    d = os.path.join(ROOT, "llama3")
    fast = transformers.PreTrainedTokenizerFast(tokenizer_file=os.path.join(d, "tokenizer.json"), bos_token="<s>", eos_token="</s>")
    out = []
    for name, template in FEATURES.items():
        text = fast.apply_chat_template(FEATURE_MESSAGES, chat_template=template, tokenize=False)
        out.append({"name": name, "template": template, "text": text})
    json.dump({"transformers_version": transformers.__version__, "messages": FEATURE_MESSAGES, "features": out},
              open(os.path.join(ROOT, "chat_template_features.json"), "w", encoding="utf-8"), ensure_ascii=False, indent=1)


def main():
    render_features()
    texts = json.load(open(os.path.join(ROOT, "texts.json"), encoding="utf-8"))
    for name, (tok, config, extra) in families().items():
        d = os.path.join(ROOT, name)
        os.makedirs(d, exist_ok=True)
        tok.save(os.path.join(d, "tokenizer.json"))
        if name == "qwen2":
            # Qwen2's published file spells merges as "left right" strings.
            data = json.load(open(os.path.join(d, "tokenizer.json"), encoding="utf-8"))
            data["model"]["merges"] = [" ".join(m) for m in data["model"]["merges"]]
            json.dump(data, open(os.path.join(d, "tokenizer.json"), "w", encoding="utf-8"), ensure_ascii=False, indent=2)
            tok = Tokenizer.from_file(os.path.join(d, "tokenizer.json"))
        cfg = {"tokenizer_class": "PreTrainedTokenizerFast", **config}
        template, as_jinja_file = TEMPLATES[name]
        jinja_path = os.path.join(d, "chat_template.jinja")
        if as_jinja_file:
            open(jinja_path, "w", encoding="utf-8").write(template)
        else:
            cfg["chat_template"] = template
            if os.path.exists(jinja_path):
                os.remove(jinja_path)
        json.dump(cfg, open(os.path.join(d, "tokenizer_config.json"), "w", encoding="utf-8"), ensure_ascii=False, indent=2)
        cases = reference_cases(tok, texts + extra)
        ref = {"tokenizers_version": tokenizers.__version__, "cases": cases}
        json.dump(ref, open(os.path.join(d, "reference.json"), "w", encoding="utf-8"), ensure_ascii=False, indent=1)
        print(name, tok.get_vocab_size(), "tokens,", len(cases), "cases")
        render_chats(name, d, template, config)
    d = os.path.join(ROOT, "unknown")
    os.makedirs(d, exist_ok=True)
    tok = unknown_token_tokenizer()
    tok.save(os.path.join(d, "tokenizer.json"))
    ref = {"tokenizers_version": tokenizers.__version__, "cases": reference_cases(tok, texts)}
    json.dump(ref, open(os.path.join(d, "reference.json"), "w", encoding="utf-8"), ensure_ascii=False, indent=1)


def render_chats(name, d, template, config):
    """Renders CONVERSATIONS with transformers' apply_chat_template (with and without the
    generation prompt) and records the strings, or the exception a template raises."""
    fast = transformers.PreTrainedTokenizerFast(tokenizer_file=os.path.join(d, "tokenizer.json"),
                                                bos_token=config["bos_token"], eos_token=config["eos_token"])
    renders = []
    for messages in CONVERSATIONS:
        for gen in (False, True):
            entry = {"messages": messages, "add_generation_prompt": gen}
            try:
                entry["text"] = fast.apply_chat_template(messages, chat_template=template, tokenize=False,
                                                         add_generation_prompt=gen)
            except Exception as e:  # raise_exception in the template
                entry["error"] = str(e)
            renders.append(entry)
    ref = {"transformers_version": transformers.__version__, "renders": renders}
    json.dump(ref, open(os.path.join(d, "chat_renders.json"), "w", encoding="utf-8"), ensure_ascii=False, indent=1)


if __name__ == "__main__":
    sys.exit(main())
