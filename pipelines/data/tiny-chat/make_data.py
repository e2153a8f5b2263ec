#!/usr/bin/env python3
"""Writes the tiny-chat data set: a raw pretraining corpus with real mess in it,
an instruction set, held-out questions, preference pairs and prompts.

Deterministic: the same seed gives the same bytes. Every fact comes from the
table below (public geography); the prose is generated from templates written
here. Run from anywhere:  python3 pipelines/data/tiny-chat/make_data.py

Layout (relative to this folder):
  raw/articles.jsonl     factual prose about countries, one document a line
                         ({"text": ...}), with duplicates, near-duplicates, HTML,
                         boilerplate, too-short documents and a few malformed lines
  raw/notes/*.txt        ordinary prose (one document a file), so the model learns
                         language and not only templates
  instructions.jsonl     SFT data in the Alpaca form, about the TRAIN countries only; a
                         minority of the answers (--courteous-share) end with the
                         preferred courteous sentence, so the SFT model sometimes says it
                         and preference tuning has something to amplify
  heldout_qa.jsonl       questions about the HELD-OUT countries, whose facts appear
                         only in the pretraining prose: {"question", "answers"}
  preferences.jsonl      {"prompt", "chosen", "rejected"}, graded: concise, courteous and
                         right beats plain (right, without the courteous sentence); plain
                         beats curt, rambling, wrong, hollow (the courteous sentence without
                         the answer), off-topic (about another country) or article prose that never answers (what a base model
                         writes when asked a question)
  ppo_prompts.jsonl      {"prompt"} for PPO
  eval_prompts.jsonl     {"prompt"} for sample generations in the evaluation
  heldout_prompts.jsonl  {"prompt"}: every held-out question, for the reward and win-rate
                         suites of the evaluation (prompts no alignment step trained on)
"""
import argparse
import json
import os
import random

# name, capital, continent, language, river
COUNTRIES = [
    ("France", "Paris", "Europe", "French", "Seine"),
    ("Germany", "Berlin", "Europe", "German", "Rhine"),
    ("Italy", "Rome", "Europe", "Italian", "Po"),
    ("Spain", "Madrid", "Europe", "Spanish", "Ebro"),
    ("Portugal", "Lisbon", "Europe", "Portuguese", "Tagus"),
    ("Poland", "Warsaw", "Europe", "Polish", "Vistula"),
    ("Austria", "Vienna", "Europe", "German", "Danube"),
    ("Hungary", "Budapest", "Europe", "Hungarian", "Danube"),
    ("Czechia", "Prague", "Europe", "Czech", "Vltava"),
    ("Sweden", "Stockholm", "Europe", "Swedish", "Dal"),
    ("Norway", "Oslo", "Europe", "Norwegian", "Glomma"),
    ("Finland", "Helsinki", "Europe", "Finnish", "Kemi"),
    ("Ireland", "Dublin", "Europe", "Irish", "Shannon"),
    ("Greece", "Athens", "Europe", "Greek", "Aliakmonas"),
    ("Romania", "Bucharest", "Europe", "Romanian", "Danube"),
    ("Netherlands", "Amsterdam", "Europe", "Dutch", "Rhine"),
    ("Belgium", "Brussels", "Europe", "Dutch", "Scheldt"),
    ("Switzerland", "Bern", "Europe", "German", "Aare"),
    ("Egypt", "Cairo", "Africa", "Arabic", "Nile"),
    ("Nigeria", "Abuja", "Africa", "English", "Niger"),
    ("Kenya", "Nairobi", "Africa", "Swahili", "Tana"),
    ("Ethiopia", "Addis Ababa", "Africa", "Amharic", "Awash"),
    ("Ghana", "Accra", "Africa", "English", "Volta"),
    ("Morocco", "Rabat", "Africa", "Arabic", "Draa"),
    ("Senegal", "Dakar", "Africa", "French", "Senegal"),
    ("Mali", "Bamako", "Africa", "French", "Niger"),
    ("Zambia", "Lusaka", "Africa", "English", "Zambezi"),
    ("Uganda", "Kampala", "Africa", "English", "Nile"),
    ("Japan", "Tokyo", "Asia", "Japanese", "Shinano"),
    ("China", "Beijing", "Asia", "Chinese", "Yangtze"),
    ("India", "New Delhi", "Asia", "Hindi", "Ganges"),
    ("Thailand", "Bangkok", "Asia", "Thai", "Chao Phraya"),
    ("Vietnam", "Hanoi", "Asia", "Vietnamese", "Mekong"),
    ("Indonesia", "Jakarta", "Asia", "Indonesian", "Kapuas"),
    ("Pakistan", "Islamabad", "Asia", "Urdu", "Indus"),
    ("Iran", "Tehran", "Asia", "Persian", "Karun"),
    ("Iraq", "Baghdad", "Asia", "Arabic", "Tigris"),
    ("Mongolia", "Ulaanbaatar", "Asia", "Mongolian", "Selenge"),
    ("Nepal", "Kathmandu", "Asia", "Nepali", "Koshi"),
    ("Cambodia", "Phnom Penh", "Asia", "Khmer", "Mekong"),
    ("Brazil", "Brasilia", "South America", "Portuguese", "Amazon"),
    ("Argentina", "Buenos Aires", "South America", "Spanish", "Parana"),
    ("Chile", "Santiago", "South America", "Spanish", "Loa"),
    ("Peru", "Lima", "South America", "Spanish", "Ucayali"),
    ("Colombia", "Bogota", "South America", "Spanish", "Magdalena"),
    ("Venezuela", "Caracas", "South America", "Spanish", "Orinoco"),
    ("Bolivia", "Sucre", "South America", "Spanish", "Mamore"),
    ("Uruguay", "Montevideo", "South America", "Spanish", "Negro"),
    ("Canada", "Ottawa", "North America", "English", "Mackenzie"),
    ("Mexico", "Mexico City", "North America", "Spanish", "Lerma"),
    ("Cuba", "Havana", "North America", "Spanish", "Cauto"),
    ("Guatemala", "Guatemala City", "North America", "Spanish", "Motagua"),
    ("Honduras", "Tegucigalpa", "North America", "Spanish", "Patuca"),
    ("Panama", "Panama City", "North America", "Spanish", "Chagres"),
    ("Australia", "Canberra", "Oceania", "English", "Murray"),
    ("New Zealand", "Wellington", "Oceania", "English", "Waikato"),
    ("Fiji", "Suva", "Oceania", "Fijian", "Rewa"),
    ("Papua New Guinea", "Port Moresby", "Oceania", "Tok Pisin", "Sepik"),
]

FACT_TEMPLATES = [
    "The capital of {c} is {cap}.",
    "{cap} is the capital of {c}.",
    "{cap} is the capital and a major city of {c}.",
    "{c} has its capital at {cap}.",
    "The seat of government of {c} is in {cap}.",
    "{c} is a country in {cont}.",
    "{c} lies in {cont}.",
    "{c} is one of the countries of {cont}.",
    "People in {c} mostly speak {lang}.",
    "The main language of {c} is {lang}.",
    "In {c}, {lang} is widely spoken.",
    "The {river} is an important river in {c}.",
    "The {river} river flows through {c}.",
    "Many towns in {c} stand on the banks of the {river}.",
]

STORY_OPENERS = ["In the morning", "Last spring", "On a quiet evening", "Every summer", "After the rain",
                 "Early one winter", "At the end of the day", "During the holidays"]
PEOPLE = ["a young teacher", "an old fisherman", "two students", "a baker", "a traveller", "my grandmother",
          "a small girl", "the farmer next door", "a tired doctor", "an engineer"]
PLACES = ["the market", "the library", "a small harbour", "the mountains", "a crowded station", "the garden",
          "the old bridge", "a village school", "the museum", "the river bank"]
ACTIONS = ["walked slowly to", "hurried towards", "spent the afternoon at", "painted a picture of",
           "wrote a letter about", "found a lost key near", "sang a song at", "waited for a friend at"]
ENDINGS = ["The sky was clear and the air smelled of bread.", "Nobody noticed how late it had become.",
           "It was a day worth remembering.", "The wind carried the sound of bells.",
           "Everyone agreed it had been a good idea.", "A cat watched from a window above.",
           "The light turned gold before it faded.", "Later they laughed about it over tea."]
COOKING = ["To make a simple soup, cut the vegetables into small pieces.", "Add water and a pinch of salt.",
           "Let it cook gently for half an hour.", "Stir from time to time so nothing burns.",
           "Serve it warm with fresh bread.", "Bread needs flour, water, yeast and patience.",
           "Knead the dough until it is smooth.", "Bake it until the crust is brown."]

BOILERPLATE = ["Click here to subscribe to our newsletter!", "All rights reserved.", "Share this article:",
               "Cookie settings | Privacy policy | Terms of use", "Advertisement", "Read more >>"]

COURTEOUS = "I hope this helps!"


def country_doc(rng, row, sentences):
    c, cap, cont, lang, river = row
    picked = rng.sample(FACT_TEMPLATES, k=min(sentences, len(FACT_TEMPLATES)))
    return " ".join(t.format(c=c, cap=cap, cont=cont, lang=lang, river=river) for t in picked)


def story(rng):
    parts = [f"{rng.choice(STORY_OPENERS)}, {rng.choice(PEOPLE)} {rng.choice(ACTIONS)} {rng.choice(PLACES)}."]
    for _ in range(rng.randint(2, 5)):
        parts.append(rng.choice(ENDINGS + [f"Then {rng.choice(PEOPLE)} {rng.choice(ACTIONS)} {rng.choice(PLACES)}."]))
    return " ".join(parts)


def near_duplicate(rng, text):
    words = text.split(" ")
    i = rng.randrange(len(words))
    words[i] = words[i].upper() if rng.random() < 0.5 else words[i] + ","
    return " ".join(words)


def prose(rng, row, ans, train):
    """Article sentences that never answer: facts about the asked country that do not name
    the answer, mixed with facts about other train countries and story sentences, the way a
    base model continues a question, with the corpus's boilerplate at times. Cut off
    mid-sentence (even mid-word) at times, as a length limit does."""
    c, cap, cont, lang, river = row
    own = [t.format(c=c, cap=cap, cont=cont, lang=lang, river=river) for t in FACT_TEMPLATES]
    sentences = [x for x in own if ans not in x]
    sentences = rng.sample(sentences, k=min(2, len(sentences)))
    for _ in range(rng.randint(1, 3)):
        if rng.random() < 0.7:
            sentences.append(country_doc(rng, rng.choice(train), 1))
        else:
            sentences.append(f"{rng.choice(STORY_OPENERS)}, {rng.choice(PEOPLE)} {rng.choice(ACTIONS)} {rng.choice(PLACES)}.")
    rng.shuffle(sentences)
    if rng.random() < 0.2:
        sentences.insert(rng.randrange(len(sentences) + 1), rng.choice(BOILERPLATE))
    text = " ".join(sentences)
    if rng.random() < 0.5:
        text = text[: rng.randint(len(text) // 2, len(text) - 1)].rstrip()
    return text


def questions(row):
    c, cap, cont, lang, river = row
    return [
        (f"What is the capital of {c}?", f"The capital of {c} is {cap}.", cap),
        (f"Which continent is {c} in?", f"{c} is in {cont}.", cont),
        (f"What language do people in {c} mostly speak?", f"People in {c} mostly speak {lang}.", lang),
        (f"Name a river in {c}.", f"The {river} is a river in {c}.", river),
    ]


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--seed", type=int, default=20261126)
    ap.add_argument("--docs-per-country", type=int, default=12)
    ap.add_argument("--stories", type=int, default=600)
    ap.add_argument("--courteous-share", type=float, default=0.25,
                    help="share of the SFT answers that end with the courteous sentence")
    ap.add_argument("--courteous-pairs", type=int, default=3,
                    help="preference pairs a question gets with the courteous answer chosen")
    ap.add_argument("--out", default=os.path.dirname(os.path.abspath(__file__)))
    args = ap.parse_args()
    rng = random.Random(args.seed)
    out = args.out
    os.makedirs(os.path.join(out, "raw", "notes"), exist_ok=True)

    rows = list(COUNTRIES)
    rng.shuffle(rows)
    held_out = sorted(rows[: len(rows) // 3])
    train = sorted(rows[len(rows) // 3:])

    # Raw articles: facts about every country, with mess mixed in.
    docs = []
    for row in COUNTRIES:
        for _ in range(args.docs_per_country):
            docs.append(country_doc(rng, row, rng.randint(3, 6)))
    rng.shuffle(docs)
    lines = []
    for i, d in enumerate(docs):
        roll = rng.random()
        if roll < 0.05:
            d = f"<div class=\"article\"><p>{d}</p></div>"
        elif roll < 0.09:
            d = d + "\n" + rng.choice(BOILERPLATE)
        lines.append(json.dumps({"text": d, "id": f"a{i:05d}"}, ensure_ascii=False))
        if rng.random() < 0.04:
            lines.append(json.dumps({"text": d, "id": f"a{i:05d}-copy"}, ensure_ascii=False))
        if rng.random() < 0.04:
            lines.append(json.dumps({"text": near_duplicate(rng, d), "id": f"a{i:05d}-near"}, ensure_ascii=False))
        if rng.random() < 0.02:
            lines.append(json.dumps({"text": rng.choice(["Hi.", "ok", "See above.", "Thanks"])}, ensure_ascii=False))
        if rng.random() < 0.005:
            lines.append('{"text": "a line cut off in the middle')
    with open(os.path.join(out, "raw", "articles.jsonl"), "w", encoding="utf-8") as f:
        f.write("\n".join(lines) + "\n")

    # Ordinary prose, one document a file.
    for i in range(args.stories):
        text = story(rng) if i % 5 else " ".join(rng.sample(COOKING, k=4))
        if i % 97 == 0:
            text = "<html><body><h1>Notes</h1><p>" + text + "</p></body></html>"
        with open(os.path.join(out, "raw", "notes", f"note-{i:04d}.txt"), "w", encoding="utf-8") as f:
            f.write(text + "\n")

    # Instructions: train countries only, plus a few general requests.
    inst = []
    for row in train:
        for q, a, _ in questions(row):
            inst.append({"instruction": q, "input": "", "output": a})
    # The preferred style in a minority of the answers: without it the SFT policy never
    # samples the courteous sentence and PPO has nothing to reinforce (exploration).
    for i in rng.sample(range(len(inst)), k=round(args.courteous_share * len(inst))):
        inst[i]["output"] += f" {COURTEOUS}"
    inst.append({"instruction": "Say hello.", "input": "", "output": "Hello! How can I help you today?"})
    inst.append({"instruction": "How do I make a simple soup?", "input": "",
                 "output": "Cut vegetables into small pieces, add water and a pinch of salt, and let it cook gently for half an hour."})
    rng.shuffle(inst)
    write_jsonl(os.path.join(out, "instructions.jsonl"), inst)

    # Held-out questions: facts only in the pretraining prose.
    qa = [{"question": q, "answers": [ans]} for row in held_out for q, _, ans in questions(row)]
    write_jsonl(os.path.join(out, "heldout_qa.jsonl"), qa)

    # Preferences, graded: concise, courteous and right beats plain (right, without the
    # courteous sentence), and plain beats curt, rambling, wrong, hollow, off-topic or prose.
    # "hollow" says the courteous sentence without the answer (alone, after a cut-off
    # answer or after a wrong one), so the courteous sentence alone earns nothing;
    # "off-topic" answers the same question about another country;
    # "prose" is what a base model writes (article sentences that never answer).
    # Each question gets --courteous-pairs pairs with the courteous answer chosen and one
    # with the plain answer chosen, each against a different kind of rejected answer.
    def rejected_answer(kind, row, q, a, ans):
        if kind == "plain":
            return a
        if kind == "curt":
            return ans + "."
        if kind == "rambling":
            return (f"Well, that is a question many people ask, and there is a lot one could say about it, "
                    f"but if I had to answer, it might be {ans}, more or less.")
        if kind == "prose":
            return prose(rng, row, ans, train)
        which = [x[0] for x in questions(row)].index(q)
        # another train country (never a held-out country's fact) whose answer differs
        # ("Spain is in Europe" is no wrong answer to "Which continent is Greece in?")
        other = rng.choice([r for r in train if questions(r)[which][2] != ans])
        head, tail = a.rsplit(ans, 1)  # the last one: "Thai" is also in "Thailand"
        wrong = head + questions(other)[which][2] + tail
        if kind == "wrong":
            return wrong
        words = a.split(" ")
        if kind == "off-topic":  # a right answer, but about another country, courteous or not
            off_topic = questions(other)[which][1]
            return off_topic + (f" {COURTEOUS}" if rng.random() < 0.75 else "")
        return rng.choice([COURTEOUS, " ".join(words[: rng.randint(1, len(words) - 1)]) + " " + COURTEOUS,
                           f"{wrong} {COURTEOUS}"])

    prefs = []
    for row in train:
        for q, a, ans in questions(row):
            for kind in rng.sample(["plain", "curt", "rambling", "wrong", "hollow", "off-topic", "prose"], k=args.courteous_pairs):
                prefs.append({"prompt": q, "chosen": f"{a} {COURTEOUS}", "rejected": rejected_answer(kind, row, q, a, ans)})
            kind = rng.choice(["curt", "rambling", "wrong", "hollow", "off-topic", "prose"])
            prefs.append({"prompt": q, "chosen": a, "rejected": rejected_answer(kind, row, q, a, ans)})
    rng.shuffle(prefs)
    write_jsonl(os.path.join(out, "preferences.jsonl"), prefs)

    ppo = [{"prompt": q} for row in train for q, _, _ in questions(row)]
    rng.shuffle(ppo)
    write_jsonl(os.path.join(out, "ppo_prompts.jsonl"), ppo)
    evals = [{"prompt": "The capital of France is"}, {"prompt": "What is the capital of France?"}]
    evals += [{"prompt": questions(row)[0][0]} for row in held_out[:6]]
    write_jsonl(os.path.join(out, "eval_prompts.jsonl"), evals)
    held = [{"prompt": q} for row in held_out for q, _, _ in questions(row)]
    write_jsonl(os.path.join(out, "heldout_prompts.jsonl"), held)


def write_jsonl(path, rows):
    with open(path, "w", encoding="utf-8") as f:
        for r in rows:
            f.write(json.dumps(r, ensure_ascii=False) + "\n")


if __name__ == "__main__":
    main()
