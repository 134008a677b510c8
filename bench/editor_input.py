"""`make bench-editor` (and the first part of `make bench`): what one editor's text costs the
server, for the worst inputs found, against an ordinary article section, in one process.

For each input, the median of `BENCH_EDITOR_RUNS` runs (default 3) of:

- **render**: `render_markdown`, what saving a section and the public page run;
- **preview**: `plain_language.analyse`, what the admin's live preview runs on each change
  (the render again, the sentence report and the marks), in English;
- **diff**: the word diff against the live version (`changes.words` of both, then
  `changes.word_diff`), as the change form shows it; "whole" when it passed its budget and
  showed the changed part whole.

And the **first preview** of a new server process, measured in fresh processes: what the first
preview after a start costs without the warm-up (the syllable dictionaries load on first use),
after `clinic_site.wsgi` has warmed the process up as a server's does, and a warm preview after
it (the second of the same process). Each is the preview's work: `analyse` and the report's
template, for an ordinary section.

Markdown inputs are `SECTION_MAX_LENGTH` characters (the most a section takes) unless named
otherwise; the diff inputs compare two versions of that size. Each row also gives its time as a
multiple of the ordinary section's, measured seconds apart in the same run (absolute figures
swing several-fold on this shared machine). Printed as a table and written to
`bench/results-editor.json` (not committed).
"""

import json
import os
import random
import statistics
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "clinic_site.settings")
os.environ.setdefault("DJANGO_DEBUG", "true")  # development settings: no secret key needed

import django  # noqa: E402

django.setup()

from conditions.changes import opcodes, word_diff, words  # noqa: E402
from conditions.markdown import render_markdown  # noqa: E402
from conditions.models import SECTION_MAX_LENGTH  # noqa: E402
from conditions.plain_language import analyse  # noqa: E402
from conditions.readability import plain_text  # noqa: E402

RUNS = int(os.environ.get("BENCH_EDITOR_RUNS", 3))
LIMIT = SECTION_MAX_LENGTH
# The clinic's plainer-words list, as the preview gets it from the database.
SUGGESTIONS = {"utilize": "use", "approximately": "about", "in order to": "to"}

# An ordinary section: the length and shape of the seeded articles' (about 1,500 characters of
# paragraphs, a sub-heading, a list, bold and links).
ORDINARY = """\
Cluneal nerve entrapment is a cause of low back and buttock pain that is easy to miss. The
cluneal nerves are small nerves that carry feeling from the skin of your buttocks. When one is
squeezed or rubbed where it passes through tight tissue, it can hurt.

### What it feels like

- a burning or aching pain in your low back and upper buttock
- pain that gets worse when you bend, twist or sit for a long time
- **tingling or numbness** over the top of your buttock
- a tender spot over the top ridge of your hip bone

Many people are told they have a back problem or a hip problem first. The pain can feel like
sciatica, but it does not usually go below the knee. Read more about
[sciatica](https://www.nhs.uk/conditions/sciatica/) and about
[when to get urgent help](/urgent-help/).

Your doctor can often find the cause with a careful exam. A small injection of numbing medicine
near the nerve can show whether this nerve is the source of your pain: if the pain goes away for
a few hours, the nerve is the likely cause. Treatment can then aim at that nerve.
"""


def fill(unit, length=LIMIT):
    """`unit` repeated to `length` characters."""
    return (unit * (length // len(unit) + 1))[:length]


def markdown_inputs():
    """(name, text): the ordinary section first, then the worst inputs found."""
    yield "ordinary section (1.5k)", ORDINARY
    yield "ordinary prose at the limit", fill(ORDINARY + "\n")
    for count in (2000, 4000, LIMIT):
        yield f"{count:,} [", "[" * count
    yield "![ runs", fill("![")
    yield "[a]( runs", fill("[a](")
    yield "[a][ runs", fill("[a][")
    yield "nested emphasis *a", fill("*a")
    yield "nested emphasis **a", fill("**a")
    yield "nested emphasis _a", fill("_a")
    yield "mixed *a_", fill("*a_")
    yield "backticks `", "`" * LIMIT
    yield "backtick runs `a``", fill("`a``")
    yield "< runs", "<" * LIMIT
    yield "<a runs", fill("<a ")
    yield "raw <ul><li> runs", fill("<ul><li>")
    yield "> nesting", ">" * LIMIT
    yield "one line of links", fill("[link](https://example.org/page) ")
    yield "list items - a", fill("- a\n")
    yield "table rows", "a|b\n-|-\n" + fill("|a|b|\n", LIMIT - 8)
    yield "emphasised hard words", fill("*utilize* ")
    yield "listed phrases", fill("utilize approximately in order to ")


def diff_inputs():
    """(name, live text, new text): an ordinary edit first, then the worst found."""
    edited = ORDINARY.replace("squeezed", "trapped")
    yield "ordinary section, one word", ORDINARY, edited
    prose = fill(ORDINARY + "\n")
    changed = prose.split(" ")
    for index in range(0, len(changed), 7):
        changed[index] = "changed"
    yield "prose at the limit, 1 word in 7", prose, " ".join(changed)
    yield "prose at the limit, one word", prose, prose.replace("squeezed", "trapped", 1)
    yield "repeated words vs alternating", fill("pain "), fill("pain x ")
    # Short enough that each search looks affordable, long enough to spend both budgets.
    yield "300 repeated words vs alternating", "pain " * 300, "pain x " * 150
    yield (
        "repeated words, one added",
        fill("pain "),
        fill("pain ", 10000) + "nerve " + fill("pain ", 9994),
    )
    rng = random.Random(17)
    yield (
        "two words at random",
        fill(" ".join(rng.choice(["pain", "back"]) for _ in range(LIMIT))),
        fill(" ".join(rng.choice(["pain", "back"]) for _ in range(LIMIT))),
    )
    yield "[ runs vs repeated words", "[" * LIMIT, fill("pain ")


def median_seconds(function, *args):
    times = []
    for _ in range(RUNS):
        # Each run does the work: the site keeps the last texts' HTML and plain text.
        render_markdown.cache_clear()
        plain_text.cache_clear()
        started = time.perf_counter()
        function(*args)
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def diff(old_text, new_text):
    return word_diff(words(old_text), words(new_text))


def table(headers, rows):
    cells = [headers, *rows]
    widths = [max(len(str(row[i])) for row in cells) for i in range(len(headers))]
    lines = ["  ".join(str(c).rjust(w) for c, w in zip(row, widths, strict=True)) for row in cells]
    lines.insert(1, "  ".join("-" * w for w in widths))
    print("\n".join("  " + line for line in lines), flush=True)


def ms(seconds):
    return f"{seconds * 1000:,.1f}"


# Run in a fresh process: prints the first and the second preview's seconds, as JSON.
FIRST_PREVIEW = """
import json, os, sys, time
sys.path.insert(0, {repo!r})
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "clinic_site.settings")
os.environ.setdefault("DJANGO_DEBUG", "true")
import django
django.setup()
if {warm!r}:
    import clinic_site.wsgi  # noqa: F401  (what gunicorn and runserver import)
from django.template.loader import render_to_string
from conditions.admin.editor import REPORT_TEMPLATE
from conditions.plain_language import analyse

def preview(text):
    analysis = analyse(text, "en", {{"utilize": "use"}})
    render_to_string(REPORT_TEMPLATE, {{"report": analysis.report}})

text = sys.stdin.read()
times = []
for _ in range(2):
    started = time.perf_counter()
    preview(text)
    times.append(time.perf_counter() - started)
print(json.dumps(times))
"""


def first_previews(warm):
    """Median (first, second) preview seconds over RUNS fresh processes."""
    import subprocess

    firsts, seconds = [], []
    script = FIRST_PREVIEW.format(repo=str(REPO), warm=warm)
    for _ in range(RUNS):
        out = subprocess.run(
            [sys.executable, "-c", script],
            input=ORDINARY,
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        first, second = json.loads(out.strip().splitlines()[-1])
        firsts.append(first)
        seconds.append(second)
    return statistics.median(firsts), statistics.median(seconds)


def main():
    if "editor" not in os.environ.get("BENCH_ONLY", "editor").split(","):
        return 0
    started = time.monotonic()
    load = os.getloadavg()[0]
    print(f"Editor input: median of {RUNS} runs; sections up to {LIMIT:,} characters", flush=True)
    analyse(ORDINARY, "en", SUGGESTIONS)  # loads the syllable dictionaries once
    results = {"started": time.strftime("%Y-%m-%d %H:%M"), "markdown": [], "diff": []}

    rows = []
    base = None
    for name, text in markdown_inputs():
        render = median_seconds(render_markdown, text)
        preview = median_seconds(analyse, text, "en", SUGGESTIONS)
        if base is None:
            base = render, preview
        results["markdown"].append(
            {"input": name, "chars": len(text), "render_s": render, "preview_s": preview}
        )
        rows.append(
            [name, f"{len(text):,}", ms(render), f"{render / base[0]:,.0f}x"]
            + [ms(preview), f"{preview / base[1]:,.0f}x"]
        )
    print("\nMarkdown: render (save, public page) and preview (render + plain-language report)")
    table(["input", "chars", "render ms", "vs ordinary", "preview ms", "vs ordinary"], rows)

    rows = []
    base = None
    for name, old_text, new_text in diff_inputs():
        seconds = median_seconds(diff, old_text, new_text)
        _ops, exact = opcodes(words(old_text), words(new_text))
        if base is None:
            base = seconds
        results["diff"].append(
            {"input": name, "chars": len(new_text), "diff_s": seconds, "word_by_word": exact}
        )
        rows.append(
            [name, f"{len(new_text):,}", ms(seconds), f"{seconds / base:,.0f}x"]
            + ["word by word" if exact else "whole"]
        )
    print("\nWord diff against the live version (both versions' words, then the diff)")
    table(["input", "chars", "diff ms", "vs ordinary", "shown"], rows)

    rows = []
    results["first_preview"] = {}
    for name, warm in (("without the warm-up", False), ("after the WSGI warm-up", True)):
        first, second = first_previews(warm)
        results["first_preview"][name] = {"first_s": first, "warm_s": second}
        rows.append([name, ms(first), ms(second)])
    print("\nA new process's first preview (ordinary section; fresh processes)")
    table(["process", "first preview ms", "warm preview ms"], rows)

    results["seconds"] = time.monotonic() - started
    results["load"] = [load, os.getloadavg()[0]]
    (REPO / "bench" / "results-editor.json").write_text(json.dumps(results, indent=2) + "\n")
    print(f"\n  took {results['seconds']:.0f} s; load average {load:.1f} at start, ", end="")
    print(f"{os.getloadavg()[0]:.1f} at end (above 2, other work competed)")
    print("  figures also in bench/results-editor.json")
    return 0


if __name__ == "__main__":
    sys.exit(main())
