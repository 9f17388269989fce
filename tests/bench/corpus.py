#!/usr/bin/env python3
"""Writes a benchmark handbook of N pages.

    python3 tests/bench/corpus.py DIR N          a handbook folder for `handbook build`
    python3 tests/bench/corpus.py DIR N --hugo   the same pages as a Hugo site
    python3 tests/bench/corpus.py DIR N --zola   ... as a Zola site
    python3 tests/bench/corpus.py DIR N --mdbook ... as an mdBook book

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


def page_text(i, n, rng, tool):
    """The page's Markdown and its title (the same words for every tool)."""
    section, name = page_path(i)
    other = rng.randrange(n)
    while other == i and n > 1:
        other = rng.randrange(n)
    o_section, o_name = page_path(other)
    link = f"../{o_section}/{o_name}.md#who-is-involved"
    if tool == "hugo":
        # Hugo leaves .md links alone; point at its own output instead.
        link = f"../../{o_section}/{o_name}/#who-is-involved"
    elif tool == "zola":
        # Zola's checked internal links.
        link = f"@/{o_section}/{o_name}.md#who-is-involved"
    title = f"Topic {i}: {rng.choice(WORDS)} and {rng.choice(WORDS)}"
    description = sentence(rng, 6, 10)
    if tool == "mdbook":
        # No front matter: the title is the first heading, as mdBook expects.
        out = [f"# {title}", "", f"*{description}*"]
    else:
        out = ["+++", f'title = "{title}"', f'description = "{description}"', f"weight = {i % PER_SECTION}", "+++"]
    out += [
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
    return "\n".join(out), title


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


ZOLA_CONFIG = """base_url = "/"
title = "Benchmark handbook"
compile_sass = false
build_search_index = true
"""

ZOLA_BASE = """<!DOCTYPE html>
<html lang="en-GB">
<head><meta charset="utf-8"><title>{% block title %}{{ config.title }}{% endblock %}</title>
<link rel="stylesheet" href="{{ get_url(path='style.css') }}"></head>
<body>
<header><a href="{{ config.base_url }}">{{ config.title }}</a></header>
{% set root = get_section(path="_index.md", metadata_only=true) %}
<nav aria-label="Contents"><ul>
{% for s in root.subsections %}{% set sub = get_section(path=s, metadata_only=true) %}<li><a href="{{ sub.permalink | safe }}">{{ sub.title }}</a></li>{% endfor %}
</ul></nav>
<main>{% block main %}{% endblock %}</main>
<footer>{{ config.title }}</footer>
</body></html>
"""

ZOLA_PAGE = """{% extends "base.html" %}
{% block title %}{{ page.title }} - {{ config.title }}{% endblock %}
{% block main %}
{% set sec = get_section(path=page.ancestors | last) %}
<nav aria-label="Section"><ul>{% for p in sec.pages %}<li><a href="{{ p.permalink | safe }}">{{ p.title }}</a></li>{% endfor %}</ul></nav>
<nav aria-label="Breadcrumb"><ol><li><a href="{{ sec.permalink | safe }}">{{ sec.title }}</a></li></ol></nav>
<h1>{{ page.title }}</h1>
<nav class="toc"><ul>{% for h in page.toc %}<li><a href="{{ h.permalink | safe }}">{{ h.title }}</a></li>{% endfor %}</ul></nav>
{{ page.content | safe }}
{% if page.lower %}<a href="{{ page.lower.permalink | safe }}">Previous: {{ page.lower.title }}</a>{% endif %}
{% if page.higher %}<a href="{{ page.higher.permalink | safe }}">Next: {{ page.higher.title }}</a>{% endif %}
{% endblock %}
"""

ZOLA_SECTION = """{% extends "base.html" %}
{% block main %}<h1>{{ section.title }}</h1>
{{ section.content | safe }}
<ul>{% for p in section.pages %}<li><a href="{{ p.permalink | safe }}">{{ p.title }}</a></li>{% endfor %}</ul>
{% endblock %}
"""

MDBOOK_CONFIG = """[book]
title = "Benchmark handbook"
language = "en"
src = "src"
"""


def main():
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    tool = next((t for t in ("hugo", "zola", "mdbook") if f"--{t}" in sys.argv), "handbook")
    hugo = tool == "hugo"
    if len(args) != 2:
        sys.exit(__doc__)
    root, n = args[0], int(args[1])
    if os.path.exists(root):
        shutil.rmtree(root)
    rng = random.Random(20260601)
    content = os.path.join(root, "src" if tool == "mdbook" else "content")
    index = {"hugo": "_index.md", "zola": "_index.md"}.get(tool, "index.md")
    if tool == "mdbook":
        write(os.path.join(root, "book.toml"), MDBOOK_CONFIG)
    elif tool == "zola":
        write(os.path.join(root, "config.toml"), ZOLA_CONFIG)
        write(os.path.join(root, "templates", "base.html"), ZOLA_BASE)
        write(os.path.join(root, "templates", "page.html"), ZOLA_PAGE)
        write(os.path.join(root, "templates", "section.html"), ZOLA_SECTION)
        write(os.path.join(root, "templates", "index.html"), ZOLA_SECTION)
        write(os.path.join(root, "static", "style.css"), "body { font-family: sans-serif; }\n")
    elif hugo:
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
    def front(title, extra=""):
        if tool == "mdbook":
            return f"# {title}\n\n"
        sort = 'sort_by = "weight"\n' if tool == "zola" else ""
        return f'+++\ntitle = "{title}"\n{extra}{sort}+++\n\n'

    write(os.path.join(content, index), front("Benchmark handbook") + paragraph(rng) + "\n")
    sections = (n + PER_SECTION - 1) // PER_SECTION
    summary = ["# Summary", "", "[Benchmark handbook](index.md)", ""]
    for s in range(sections):
        write(
            os.path.join(content, f"section-{s:03d}", index),
            front(f"Section {s}", f"weight = {s}\n") + f"{paragraph(rng)}\n",
        )
    current = None
    for i in range(n):
        section, name = page_path(i)
        text, title = page_text(i, n, rng, tool)
        write(os.path.join(content, section, name + ".md"), text)
        if section != current:
            current = section
            summary.append(f"- [Section {i // PER_SECTION}]({section}/index.md)")
        summary.append(f"  - [{title}]({section}/{name}.md)")
    if tool == "mdbook":
        write(os.path.join(content, "SUMMARY.md"), "\n".join(summary) + "\n")
    print(f"wrote {n} pages in {sections} sections to {root}")


if __name__ == "__main__":
    main()
