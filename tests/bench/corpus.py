#!/usr/bin/env python3
"""Writes a benchmark handbook of N pages.

    python3 tests/bench/corpus.py DIR N          a handbook folder for `handbook build`
    python3 tests/bench/corpus.py DIR N --hugo   the same pages as a Hugo site

Pages sit in sections of 100 (a folder each, with its own index page). Every
page has four `##` sections of text, a bulleted list, a table, and a link to
a heading on another page. The text is made from a fixed word list with a
fixed seed, so every run writes the same bytes.
"""

import os
import random
import shutil
import sys

PER_SECTION = 100

WORDS = (
    "family child parent carer school nurse health visitor practitioner meeting plan review support "
    "assessment consent worry strength goal action progress outcome service team agency referral "
    "housing attendance wellbeing safety routine sleep speech language play behaviour budget advice "
    "record share agree listen explain visit week month today together early help local partner "
    "worker record notes contact phone letter summary update change step level need lead role"
).split()

HEADINGS = ["Overview", "What to do", "Who is involved", "Related guidance"]
ROLES = ["Lead Professional", "Health visitor", "School", "Family support worker", "Housing officer", "Social worker"]


def sentence(rng, lo=8, hi=18):
    words = [rng.choice(WORDS) for _ in range(rng.randint(lo, hi))]
    return " ".join(words).capitalize() + "."


def paragraph(rng, sentences=4):
    return " ".join(sentence(rng) for _ in range(sentences))


def page_path(i):
    return f"section-{i // PER_SECTION:03d}", f"page-{i % PER_SECTION:03d}"


def page_text(i, n, rng, hugo):
    section, name = page_path(i)
    other = rng.randrange(n)
    while other == i and n > 1:
        other = rng.randrange(n)
    o_section, o_name = page_path(other)
    link = f"../{o_section}/{o_name}.md#who-is-involved"
    if hugo:
        # Hugo leaves .md links alone; point at its own output instead.
        link = f"../../{o_section}/{o_name}/#who-is-involved"
    title = f"Topic {i}: {rng.choice(WORDS)} and {rng.choice(WORDS)}"
    out = [
        "+++",
        f'title = "{title}"',
        f'description = "{sentence(rng, 6, 10)}"',
        f"weight = {i % PER_SECTION}",
        "+++",
        "",
        f"## {HEADINGS[0]}",
        "",
        paragraph(rng),
        "",
        paragraph(rng, 3),
        "",
        f"## {HEADINGS[1]}",
        "",
        paragraph(rng, 2),
        "",
    ]
    out += [f"- {sentence(rng, 4, 9)}" for _ in range(5)]
    out += ["", f"## {HEADINGS[2]}", "", paragraph(rng, 2), "", "| Role | What they do | When |", "| --- | --- | --- |"]
    out += [f"| {rng.choice(ROLES)} | {sentence(rng, 4, 8)} | {rng.choice(['Before', 'During', 'After'])} the meeting |" for _ in range(4)]
    out += ["", f"## {HEADINGS[3]}", "", paragraph(rng, 3), "", f"See [topic {other}]({link}) for who is involved there.", ""]
    return "\n".join(out)


def write(path, text):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w", encoding="utf-8") as f:
        f.write(text)


HUGO_CONFIG = """baseURL = "/"
title = "Benchmark handbook"
relativeURLs = true
disableKinds = ["taxonomy", "term", "RSS", "sitemap", "robotsTXT"]
[markup.goldmark.renderer]
unsafe = true
"""

# Navigation like handbook's: top-level sections, the current section's pages,
# breadcrumbs, previous/next and an in-page contents list.
HUGO_BASEOF = """<!DOCTYPE html>
<html lang="en-GB">
<head><meta charset="utf-8"><title>{{ .Title }} - {{ .Site.Title }}</title>
<link rel="stylesheet" href="{{ "style.css" | relURL }}"></head>
<body>
<header><a href="{{ "/" | relURL }}">{{ .Site.Title }}</a></header>
<nav aria-label="Contents"><ul>
{{ $current := .CurrentSection }}
{{ range .Site.Sections }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a>
{{ if eq . $current }}<ul>{{ range .RegularPages }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a></li>{{ end }}</ul>{{ end }}
</li>{{ end }}
</ul></nav>
<nav aria-label="Breadcrumb"><ol>{{ range .Ancestors.Reverse }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a></li>{{ end }}</ol></nav>
<main>{{ block "main" . }}{{ end }}</main>
<footer>{{ .Site.Title }}</footer>
</body></html>
"""

HUGO_SINGLE = """{{ define "main" }}<h1>{{ .Title }}</h1>
<nav class="toc">{{ .TableOfContents }}</nav>
{{ .Content }}
{{ with .PrevInSection }}<a href="{{ .RelPermalink }}">Previous: {{ .Title }}</a>{{ end }}
{{ with .NextInSection }}<a href="{{ .RelPermalink }}">Next: {{ .Title }}</a>{{ end }}
{{ end }}
"""

HUGO_LIST = """{{ define "main" }}<h1>{{ .Title }}</h1>
{{ .Content }}
<ul>{{ range .Pages }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a></li>{{ end }}</ul>
{{ end }}
"""


def main():
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    hugo = "--hugo" in sys.argv
    if len(args) != 2:
        sys.exit(__doc__)
    root, n = args[0], int(args[1])
    if os.path.exists(root):
        shutil.rmtree(root)
    rng = random.Random(20260601)
    content = os.path.join(root, "content")
    index = "_index.md" if hugo else "index.md"
    if hugo:
        write(os.path.join(root, "hugo.toml"), HUGO_CONFIG)
        write(os.path.join(root, "layouts", "_default", "baseof.html"), HUGO_BASEOF)
        write(os.path.join(root, "layouts", "_default", "single.html"), HUGO_SINGLE)
        write(os.path.join(root, "layouts", "_default", "list.html"), HUGO_LIST)
        write(os.path.join(root, "static", "style.css"), "body { font-family: sans-serif; }\n")
    else:
        write(
            os.path.join(root, "handbook.toml"),
            'title = "Benchmark handbook"\nauthority = "Benchmark Council"\n',
        )
    write(os.path.join(content, index), '+++\ntitle = "Benchmark handbook"\n+++\n\n' + paragraph(rng) + "\n")
    sections = (n + PER_SECTION - 1) // PER_SECTION
    for s in range(sections):
        write(
            os.path.join(content, f"section-{s:03d}", index),
            f'+++\ntitle = "Section {s}"\nweight = {s}\n+++\n\n{paragraph(rng)}\n',
        )
    for i in range(n):
        section, name = page_path(i)
        write(os.path.join(content, section, name + ".md"), page_text(i, n, rng, hugo))
    print(f"wrote {n} pages in {sections} sections to {root}")


if __name__ == "__main__":
    main()
