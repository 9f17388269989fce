#!/usr/bin/env python3
"""Writes a synthetic handbook of N pages for benchmarks.

Usage: python3 tests/bench/corpus.py DIR N

DIR gets a handbook.toml and content/ with N pages spread over sections of
about 50 pages. Each page has four `##` sections of text, a list, a table
and a link to another page (and to one of its headings), so rendering,
navigation and link checking all do realistic work. The text is generated,
never copied from anywhere.
"""
import os
import sys

WORDS = (
    "family child practitioner support plan review meeting school health visitor consent "
    "outcome assessment referral strengths worries goals agency lead professional agreed "
    "actions progress wellbeing safety attendance housing routines parenting voice record"
).split()


def sentence(seed, length=14):
    words = [WORDS[(seed * 7 + i * 13) % len(WORDS)] for i in range(length)]
    return words[0].capitalize() + " " + " ".join(words[1:]) + "."


def paragraph(seed, sentences=4):
    return " ".join(sentence(seed + i) for i in range(sentences))


def main():
    if len(sys.argv) != 3:
        sys.exit("usage: corpus.py DIR N")
    root, n = sys.argv[1], int(sys.argv[2])
    per_section = 50
    sections = max(1, (n + per_section - 1) // per_section)
    os.makedirs(os.path.join(root, "content"), exist_ok=True)
    with open(os.path.join(root, "handbook.toml"), "w", encoding="utf-8") as f:
        f.write('title = "Benchmark handbook"\nauthority = "Benchmark Council"\nlanguage = "en-GB"\n')
    with open(os.path.join(root, "content", "index.md"), "w", encoding="utf-8") as f:
        f.write('+++\ntitle = "Benchmark handbook"\n+++\n\n## About\n\n' + paragraph(1) + "\n")
    names = []
    for i in range(n):
        names.append((f"section-{i // per_section + 1:02d}", f"page-{i + 1:04d}"))
    for s in range(sections):
        sec = f"section-{s + 1:02d}"
        os.makedirs(os.path.join(root, "content", sec), exist_ok=True)
        with open(os.path.join(root, "content", sec, "index.md"), "w", encoding="utf-8") as f:
            f.write(f'+++\ntitle = "Section {s + 1}"\nweight = {s + 1}\n+++\n\n## In this section\n\n{paragraph(s)}\n')
    for i, (sec, name) in enumerate(names):
        other_sec, other = names[(i * 37 + 11) % n]
        link = f"{other}.md" if other_sec == sec else f"../{other_sec}/{other}.md"
        body = [f'+++\ntitle = "Page {i + 1}: {WORDS[i % len(WORDS)]} {WORDS[(i * 3) % len(WORDS)]}"\nweight = {i}\n+++\n']
        for h in range(4):
            part = f"## Part {h + 1}\n\n{paragraph(i + h)}\n"
            if h == 1:
                part += "\n" + "".join(f"- {sentence(i + k, 6)}\n" for k in range(5))
            if h == 2:
                part += "\n| Who | What | When |\n| --- | --- | --- |\n"
                part += "".join(f"| {WORDS[(i + k) % len(WORDS)]} | {sentence(i + k, 5)} | week {k + 1} |\n" for k in range(4))
            if h == 3:
                part += f"\nSee [a related page]({link}) and [its second part]({link}#part-2).\n"
            body.append(part)
        with open(os.path.join(root, "content", sec, name + ".md"), "w", encoding="utf-8") as f:
            f.write("\n".join(body))


if __name__ == "__main__":
    main()
