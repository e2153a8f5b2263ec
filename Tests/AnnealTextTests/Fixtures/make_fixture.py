#!/usr/bin/env python3
"""Produce the Hugging Face reference fixtures for AnnealText's tokenizer tests.

usage (from a throw-away venv, never inside the repository):
    python3 -m venv /tmp/hf && /tmp/hf/bin/pip install tokenizers==0.23.3
    /tmp/hf/bin/python make_fixture.py            # writes next to this script

Writes:
  train_corpus.txt        a seeded synthetic corpus (mixed scripts, numbers,
                          contractions, whitespace runs, emoji, combining marks)
  tokenizer.json          ByteLevel BPE trained by `tokenizers` on it
                          (vocab 600, min_frequency 2, 3 special tokens)
  tokenizer_legacy.json   the same tokenizer with merges as legacy "a b" strings
  encodings.json          [{"text", "ids"}] : tokenizers' ids for a few texts
  encodings_random.json   tokenizers' ids for 300 seeded random strings over
                          many scripts, emoji, combining marks and odd whitespace
  tokenizer_prefix.json, encodings_prefix.json
                          the same model with ByteLevel add_prefix_space=true
  tokenizer_ignore_merges.json, encodings_ignore_merges.json
                          the same model with BPE ignore_merges=true
Anneal's tests check that Anneal reads both files, encodes every text to the
same ids, and that Anneal's trainer on train_corpus.txt gives the same vocab
and merges.
"""
import json
import os
import random

from tokenizers import Tokenizer, decoders, pre_tokenizers, processors, trainers
from tokenizers.models import BPE

HERE = os.path.dirname(os.path.abspath(__file__))
SPECIALS = ["<|endoftext|>", "<|im_start|>", "<|im_end|>"]

WORDS = ("the of and to in is was he for it with as his on be at by had are but from or have an they "
         "which one you were her all she there would their we him been has when who will more no if out "
         "so said what up its about into than them can only other new some could time these two may then "
         "do first any my now such like our over man me even most made after also did many before must "
         "through back years where much your way well down should because each just those people how too "
         "little state good very make world still own see men work long get here between both life being "
         "under never day same another know while last might us great old year off come since against go "
         "came right used take three Straße café naïve résumé Ελληνικά русский язык 日本語 中文 한국어 "
         "عربى हिन्दी").split()
PUNCT = [".", ",", ";", ":", "!", "?", "...", "--", "(", ")", "\"", "'", "»", "«", "—"]
EXTRAS = ["'s", "'t", "'re", "'ve", "'m", "'ll", "'d", "🙂", "👍🏽", "e\u0301", "n\u0303", "2024", "3.14",
          "42", "1,000", "ⅻ", "½", "\t", "  ", "   ", "\n", "\n\n", " \n", "\r\n", "\u00a0", "\u3000"]


def make_corpus(rng):
    parts = []
    for _ in range(2500):
        n = rng.randint(3, 14)
        sent = []
        for _ in range(n):
            r = rng.random()
            if r < 0.82:
                w = rng.choice(WORDS)
                if rng.random() < 0.1:
                    w = w.capitalize()
                sent.append(w)
            elif r < 0.92:
                sent.append(rng.choice(EXTRAS))
            else:
                sent.append(rng.choice(PUNCT))
        sep = rng.choice([" ", " ", " ", "  ", ""])
        parts.append(sep.join(sent) + rng.choice([". ", "? ", "!\n", ".\n\n", " "]))
    return "".join(parts)


TEXTS = [
    "Hello world! It's a test, isn't it? We'll see; they'd've said so.",
    "  leading spaces, trailing spaces   ",
    "tabs\tand\nnewlines\r\n\n\nand   runs    of     spaces",
    "Numbers: 12345 3.14159 1,000,000 ½ ⅻ 2024-01-01",
    "Unicode: Straße café naïve résumé Ελληνικά русский 日本語 中文 한국어 عربى हिन्दी",
    "Emoji 🙂👍🏽🇫🇷 and combining e\u0301 n\u0303 a\u0308\u0301",
    "Symbols <>{}[]()@#$%^&*~`|\\/ \"quoted\" 'single' -- — «guillemets»",
    "<|im_start|>user\nHi there<|im_end|>\n<|im_start|>assistant\nHello!<|im_end|><|endoftext|>",
    "UPPER CASE 'S 'T contractions don'T and o'clock",
    "\u00a0non-breaking\u3000ideographic space\u2028line sep",
    "",
    "x",
    "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
]


POOLS = [
    (0x20, 0x7E), (0x20, 0x7E), (0x09, 0x0D), (0xA0, 0x17F), (0x300, 0x36F), (0x391, 0x3C9),
    (0x410, 0x44F), (0x5D0, 0x5EA), (0x627, 0x64A), (0x905, 0x939), (0x2000, 0x206F),
    (0x3040, 0x30FF), (0x4E00, 0x4FFF), (0xAC00, 0xAD00), (0x1F300, 0x1F64F), (0x1F3FB, 0x1F3FF),
    (0x0E00, 0x0E5B), (0x1680, 0x1680), (0x3000, 0x3000), (0xFF01, 0xFF5E), (0x2160, 0x2188),
]


def random_texts(rng, n):
    out = []
    for _ in range(n):
        chars = []
        for _ in range(rng.randint(0, 60)):
            lo, hi = rng.choice(POOLS)
            c = rng.randint(lo, hi)
            if 0xD800 <= c <= 0xDFFF:
                continue
            chars.append(chr(c))
            if rng.random() < 0.25:
                chars.append(rng.choice([" ", "  ", "'s", "'ll", "\n", "1", "a"]))
        out.append("".join(chars))
    return out


def main():
    rng = random.Random(20241126)
    corpus = make_corpus(rng)
    corpus_path = os.path.join(HERE, "train_corpus.txt")
    with open(corpus_path, "w", encoding="utf-8", newline="") as f:
        f.write(corpus)

    tok = Tokenizer(BPE())
    tok.pre_tokenizer = pre_tokenizers.ByteLevel(add_prefix_space=False, use_regex=True)
    tok.decoder = decoders.ByteLevel()
    tok.post_processor = processors.ByteLevel(trim_offsets=False)
    trainer = trainers.BpeTrainer(vocab_size=600, min_frequency=2, show_progress=False,
                                  special_tokens=SPECIALS,
                                  initial_alphabet=pre_tokenizers.ByteLevel.alphabet())
    # One "file" as Anneal's test feeds it: the whole corpus as one text.
    tok.train_from_iterator([corpus], trainer)
    tok.save(os.path.join(HERE, "tokenizer.json"))

    with open(os.path.join(HERE, "tokenizer.json"), encoding="utf-8") as f:
        j = json.load(f)
    j["model"]["merges"] = [" ".join(m) for m in j["model"]["merges"]]
    with open(os.path.join(HERE, "tokenizer_legacy.json"), "w", encoding="utf-8") as f:
        json.dump(j, f, ensure_ascii=False, indent=1)

    out = []
    for t in TEXTS:
        ids = tok.encode(t, add_special_tokens=False).ids
        assert tok.decode(ids, skip_special_tokens=False) == t
        out.append({"text": t, "ids": ids})
    with open(os.path.join(HERE, "encodings.json"), "w", encoding="utf-8") as f:
        json.dump(out, f, ensure_ascii=False, indent=1)
    rand = [{"text": t, "ids": tok.encode(t, add_special_tokens=False).ids}
            for t in random_texts(random.Random(7), 300)]
    with open(os.path.join(HERE, "encodings_random.json"), "w", encoding="utf-8") as f:
        json.dump(rand, f, ensure_ascii=True, separators=(",", ":"))

    # Variants: the same vocabulary and merges with other settings Anneal honours.
    variants = {
        "prefix": lambda j: j["pre_tokenizer"].update(add_prefix_space=True),
        "ignore_merges": lambda j: j["model"].update(ignore_merges=True),
    }
    for name, change in variants.items():
        with open(os.path.join(HERE, "tokenizer.json"), encoding="utf-8") as f:
            j = json.load(f)
        change(j)
        path = os.path.join(HERE, f"tokenizer_{name}.json")
        with open(path, "w", encoding="utf-8") as f:
            json.dump(j, f, ensure_ascii=False, indent=1)
        variant = Tokenizer.from_file(path)
        out = [{"text": t, "ids": variant.encode(t, add_special_tokens=False).ids} for t in TEXTS]
        with open(os.path.join(HERE, f"encodings_{name}.json"), "w", encoding="utf-8") as f:
            json.dump(out, f, ensure_ascii=False, indent=1)
    print("vocab", tok.get_vocab_size(), "corpus bytes", len(corpus.encode("utf-8")))


if __name__ == "__main__":
    main()
