#!/usr/bin/env python3
"""Writes the small, messy corpus of pipelines/text-data.yaml into data/text/.

Every word is generated here from a fixed seed (no outside text, so no licence
question): Markdown articles, HTML pages with navigation and scripts, and a
JSONL file of short notes. The mess is deliberate, so the collect step has
something to do: exact copies (other case and spacing), near copies (a few
words changed), pages in an excluded drafts/ folder, notes too short to keep,
notes with e-mail addresses and phone numbers, and one line that is not JSON.

Run from anywhere: python3 pipelines/data/make_text_data.py
"""
import json
import os
import random
import shutil

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "text")

TOPICS = {
    "gardens": (["the roses", "the old apple tree", "a row of beans", "the herb bed", "the compost heap",
                 "the greenhouse", "a patch of clover", "the pear tree by the wall"],
                ["flowered early", "needed water after the dry week", "was pruned in March", "fed the bees all summer",
                 "survived the late frost", "gave more fruit than last year", "was moved to a sunnier corner"]),
    "rivers": (["the river", "the weir below the mill", "a narrow stream", "the estuary", "the ford",
                "the towpath", "the flood meadow", "the stone bridge"],
               ["rose after the storm", "froze at the edges in January", "carried silt down to the sea",
                "was full of trout in May", "changed its course over a century", "was dredged by the town",
                "reflected the hills at dusk"]),
    "trains": (["the night train", "the branch line", "the signal box", "a steam engine", "the goods yard",
                "the station clock", "the viaduct", "the timetable"],
               ["ran late in the snow", "was restored by volunteers", "closed in the sixties", "carried coal to the port",
                "was painted green again", "connected three villages", "stopped at every halt"]),
    "kitchens": (["the bread", "a pot of soup", "the cast iron pan", "the spice shelf", "a jar of honey",
                  "the wood stove", "the pantry", "an onion tart"],
                 ["took all morning to rise", "simmered until dark", "was seasoned with oil", "smelled of cinnamon",
                  "kept the house warm", "was shared with the neighbours", "needed more salt"]),
    "weather": (["the wind", "a bank of fog", "the first snow", "the thunderstorm", "the dry spell",
                 "a rainbow", "the morning frost", "the heat"],
                ["came in from the west", "lifted by noon", "closed the mountain pass", "broke the long drought",
                 "lasted for nine days", "was gone by evening", "surprised the forecasters"]),
}
LINKS = ["and", "but", "while", "because", "so", "although", "after", "before"]
OPENINGS = ["In the spring", "Last year", "Every morning", "By the end of the month", "Long ago", "This week",
            "Over the winter", "On most evenings", "Before the war", "In the valley", "At first light", "Twice a year",
            "When the school closed", "During the fair", "Since the new road opened", "According to the parish records",
            "On the coldest day", "Some summers", "After the harvest", "Within living memory"]
NAMES = ["Ada", "Bram", "Cleo", "Dara", "Emil", "Fenna", "Gus", "Hale", "Iris", "Joss", "Kit", "Lena"]


def sentence(rng, topic):
    subjects, predicates = TOPICS[topic]
    s = f"{rng.choice(OPENINGS)}, {rng.choice(subjects)} {rng.choice(predicates)}"
    if rng.random() < 0.6:
        s += f" {rng.choice(LINKS)} {rng.choice(subjects)} {rng.choice(predicates)}"
    if rng.random() < 0.1:
        s += f", as {rng.choice(NAMES)} wrote to {rng.choice(NAMES)}"
    return s + "."


def paragraph(rng, topic, sentences):
    return " ".join(sentence(rng, topic) for _ in range(sentences))


def write(path, text):
    full = os.path.join(OUT, path)
    os.makedirs(os.path.dirname(full), exist_ok=True)
    with open(full, "w", encoding="utf-8", newline="\n") as f:
        f.write(text)


def main():
    rng = random.Random(20260101)
    shutil.rmtree(OUT, ignore_errors=True)
    articles = {}

    # Markdown articles, some in sub-folders (the pipeline reads them with **).
    for i in range(48):
        topic = rng.choice(sorted(TOPICS))
        title = f"# Notes on {topic}, part {i + 1}\n\n"
        body = "\n\n".join(paragraph(rng, topic, rng.randint(4, 8)) for _ in range(rng.randint(2, 4)))
        folder = topic if i % 3 else ""
        path = os.path.join("articles", folder, f"{topic}-{i + 1:02d}.md")
        articles[path] = title + body + "\n"
        write(path, articles[path])

    # Exact copies: upper case and doubled spaces still count as the same text.
    for i, path in enumerate(sorted(articles)[:4]):
        write(f"articles/mirror/copy-{i + 1}.md", articles[path].upper().replace(" ", "  "))
    # Near copies: a few words changed in a long article.
    for i, path in enumerate(sorted(articles)[4:8]):
        words = articles[path].split(" ")
        for k in range(5, len(words), max(25, len(words) // 3)):
            words[k] = "indeed"
        write(f"articles/mirror/edited-{i + 1}.md", " ".join(words))

    # HTML pages with navigation, a style sheet and a script around the text.
    for i in range(14):
        topic = rng.choice(sorted(TOPICS))
        paragraphs = "".join(f"<p>{paragraph(rng, topic, rng.randint(3, 6))}</p>\n" for _ in range(3))
        page = (f"<!DOCTYPE html>\n<html><head><title>{topic} {i}</title>"
                f"<style>body {{ font-family: serif; }}</style></head>\n<body>\n"
                f"<nav><a href=\"/\">Home</a> &middot; <a href=\"/{topic}\">{topic.title()}</a></nav>\n"
                f"<h1>On {topic} &amp; other things</h1>\n{paragraphs}"
                f"<script>window.analytics = {{ page: {i} }};</script>\n</body></html>\n")
        write(f"web/{topic}-{i + 1:02d}.html", page)
    write("web/drafts/unfinished.html", "<p>" + paragraph(rng, "gardens", 3) + "</p>\n")
    write("web/README.txt", "Pages saved from the club's old web site.\n")

    # JSONL notes: short ones, personal data, repeats, and one broken line.
    lines = []
    for i in range(160):
        topic = rng.choice(sorted(TOPICS))
        kind = rng.random()
        if kind < 0.15:
            text = rng.choice(["ok", "see above", "noted.", "tbd", "thanks!"])
        elif kind < 0.25:
            name = rng.choice(NAMES)
            text = (f"{paragraph(rng, topic, 2)} Write to {name.lower()}@example.org "
                    f"or call +44 20 7946 {rng.randint(1000, 9999)} for the minutes.")
        else:
            text = paragraph(rng, topic, rng.randint(2, 5))
        lines.append(json.dumps({"id": i, "author": rng.choice(NAMES), "text": text}, ensure_ascii=False))
    lines[40] = lines[12]  # a repeated note
    lines[90] = '{"id": 90, "author": "Kit", "text": "an unfinished line'  # not JSON
    write("notes.jsonl", "\n".join(lines) + "\n")


if __name__ == "__main__":
    main()
