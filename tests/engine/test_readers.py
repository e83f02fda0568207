"""The ingest readers on real files: every format, the five seeds, stdin, and every kind of bad
input a user can hand crosswire (each must be skipped with a clear reason, and only itself)."""

from __future__ import annotations

import builtins
import io
import json
import os
import shutil
import types
from pathlib import Path

import pytest
from crosswire.index.ingest import inputs as readers
from crosswire.index.ingest import limits
from crosswire.index.ingest.clean import clean_text, markdown_to_text, normalise_date
from crosswire.index.ingest.inputs import estimate_total, read_inputs
from crosswire.index.model import Incoming, Skipped

ROOT = Path(__file__).resolve().parents[2]
SEEDS = ROOT / "seeds"
ECBPLUS = Path(__file__).parent.parent / "data" / "ecbplus-dev" / "articles.jsonl"

GOOD_TEXT = "Flood waters rose in Valencia on Tuesday.\nResidents were moved to higher ground.\n"


def run(paths, stdin=None) -> tuple[list[Incoming], list[Skipped]]:
    items = list(read_inputs([str(p) for p in paths], stdin=stdin))
    assert all(isinstance(i, Incoming | Skipped) for i in items)
    return (
        [i for i in items if isinstance(i, Incoming)],
        [i for i in items if isinstance(i, Skipped)],
    )


def good_file(folder: Path, name: str = "good.txt") -> Path:
    path = folder / name
    path.write_text(GOOD_TEXT, encoding="utf-8")
    return path


def assert_one_skip(skipped: list[Skipped], where: Path | str, *words: str) -> Skipped:
    """Exactly one skip, naming the input, with a reason containing each of words."""
    assert len(skipped) == 1, skipped
    skip = skipped[0]
    assert skip.where == str(where)
    for word in words:
        assert word in skip.reason, skip.reason
    assert "\n" not in str(skip)
    return skip


# ---------------------------------------------------------------------------------------------
# The five seeds

# Every line of page chrome found by reading the five seeds end to end.
SEED_BOILERPLATE = [
    "!-- Google tag (gtag.js) -->",
    "› Subscribe",
    "LEAVE A REPLY",
    "Please enter your comment!",
    "Please enter your name here",
    "The reCAPTCHA verification period has expired. Please reload the page.",
    "More Articles",
    "https://twitter.com/middleeasttime/status/1457213340506157059?ref_src=twsrc%5Etfw",
    "Also Read: Iran Will Maintain its Clout in Iraq Despite its Allies’ Setback in the Election",
    "SOURCE: NEW YORK TIMES",
    "November 8, 2021",
]

# The first and last real sentences of each seed, which must survive cleaning.
SEED_SENTENCES = {
    "000_581024202a2f3979": [
        "Iraqi sources have revealed new information regarding the attempted assassination",
        "the attack was carried out by a group supported by Iran.",
    ],
    "001_e31de89bd0809dcf": [
        "US officials say Iran did not order strike on Iraqi PM",
        "Iran likely did not greenlight the recent attack",
        "Tehran, for its part, has denied responsibility.",
        "Secretary of Iran’s Supreme National Security Council, wrote on Twitter.",
    ],
    "002_1513c531622ec9e9": [
        "Iraq is on edge Sunday while bracing for potential protests",
        "lose bigtime in parliament:",
        "put more international scrutiny and pressure on Iran and Iran-backed groups inside Iraq.",
    ],
    "003_044957427767eb41": [
        "Iraqi PM Kadhimi Survives Assassination Attempt, Pro-Iran Militias Suspected",
        "Iraqi Prime Minister (PM) Mustafa al-Kadhimi survived an assassination attempt",
        "The Ministry noted that one of the drones carried two rockets",
        "the Organisation of Islamic Cooperation, India, and Turkey.",
    ],
    "004_fc0311b61068404b": [
        "U.S. military officials stated on Saturday",
        "none of the factions is ready to lose a march against a former Prime Minister.",
    ],
}


@pytest.fixture
def seeds(tmp_path: Path) -> Path:
    folder = tmp_path / "seeds"
    folder.mkdir()
    for path in sorted(SEEDS.glob("*.txt")):
        shutil.copy(path, folder / path.name)
    return folder


def test_seeds_keep_real_sentences_and_drop_every_boilerplate_line(seeds: Path) -> None:
    articles, skipped = run([seeds])
    assert skipped == []
    assert [a.source for a in articles] == sorted(SEED_SENTENCES)
    for article in articles:
        for sentence in SEED_SENTENCES[article.source]:
            assert sentence in article.text, (article.source, sentence)
        lines = {line.strip() for line in article.text.split("\n")}
        for chrome in SEED_BOILERPLATE:
            assert chrome not in lines, (article.source, chrome)
        for word in ("reCAPTCHA", "gtag", "LEAVE A REPLY", "Subscribe", "twitter.com"):
            assert word not in article.text, (article.source, word)
        assert "\xa0" not in article.text
        assert article.ref == str(seeds / f"{article.source}.txt")
        assert article.title


def test_seed_titles_dates_and_repeated_headline(seeds: Path) -> None:
    by_source = {a.source: a for a in run([seeds])[0]}
    assert by_source["001_e31de89bd0809dcf"].title == (
        "US officials say Iran did not order strike on Iraqi PM"
    )
    heading = "Iraqi PM Kadhimi Survives Assassination Attempt, Pro-Iran Militias Suspected"
    kadhimi = by_source["003_044957427767eb41"]
    assert kadhimi.title == heading
    assert kadhimi.text.startswith(heading)
    assert kadhimi.text.count(heading) == 1  # the page printed its headline twice
    assert kadhimi.published == "2021-11-08"  # from the dateline, which leaves the text
    # A first line that is a long sentence is no headline: the title is its first sentence, cut.
    first = by_source["000_581024202a2f3979"]
    assert first.title.startswith("Iraqi sources have revealed new information")
    assert first.title.endswith("…") and len(first.title) <= 101
    assert by_source["000_581024202a2f3979"].published is None


def test_seed_text_keeps_paragraph_breaks(seeds: Path) -> None:
    by_source = {a.source: a for a in run([seeds])[0]}
    text = by_source["001_e31de89bd0809dcf"].text
    assert "\n\nAl-Kadhimi survived an alleged assassination attempt" in text
    assert "\n\n\n" not in text
    assert text == text.strip()


# ---------------------------------------------------------------------------------------------
# Plain text and boilerplate rules


def test_plain_text_title_source_and_verbatim_lines(tmp_path: Path) -> None:
    path = tmp_path / "flood report.txt"
    path.write_text("Floods hit Valencia\n\nWater rose fast.  \nPeople left.\n", encoding="utf-8")
    [article], skipped = run([path])
    assert skipped == []
    assert article == Incoming(
        ref=str(path),
        source="flood report",
        title="Floods hit Valencia",
        text="Floods hit Valencia\n\nWater rose fast.\nPeople left.",
    )


def test_boilerplate_rules_are_general(tmp_path: Path) -> None:
    page = "\n".join(
        [
            "Skip to main content",
            "Storm closes ports",
            "Share on Facebook",
            "We use cookies to improve your experience. Accept all cookies?",
            "The storm closed three ports on Monday, officials said, and ferries stayed in.",
            "ADVERTISEMENT",
            "Read more: Ports reopen after last storm",
            "Fishermen said the waves were the highest in a decade on this part of the coast.",
            "© 2024 Coast News. All rights reserved.",
            "Related Articles",
            "Ports reopen after last storm",
            "Another story entirely",
        ]
    )
    body, _ = clean_text(page)
    assert body.split("\n") == [
        "Storm closes ports",
        "The storm closed three ports on Monday, officials said, and ferries stayed in.",
        "Fishermen said the waves were the highest in a decade on this part of the coast.",
    ]


def test_a_tail_marker_at_the_top_does_not_eat_the_article() -> None:
    body, _ = clean_text("Comments\nThe council voted to close the bridge on Friday.\n")
    assert body == "The council voted to close the bridge on Friday."


def test_control_characters_dropped_from_text_and_labels(tmp_path: Path) -> None:
    path = tmp_path / "evil.txt"
    path.write_text(
        "\x1b[31mRed\x1b[0m alert\x07 issued\r\nThe mayor\x1b]0;pwned\x07 spoke.\tThen left.\r\n",
        encoding="utf-8",
    )
    [article], _ = run([path])
    assert article.title == "Red alert issued"
    assert article.text == "Red alert issued\nThe mayor spoke.\tThen left."


# ---------------------------------------------------------------------------------------------
# Markdown


def test_markdown_heading_title_and_syntax_removed(tmp_path: Path) -> None:
    path = tmp_path / "note.md"
    path.write_text(
        "# Drone *strike* in Baghdad\n\n"
        "![photo](http://x/y.jpg)\n"
        "The **prime minister** survived, said [Reuters](https://reuters.com/a).\n\n"
        "## Reaction\n\n> Calm and _restraint_, he said.\n\n"
        "Keep snake_case_names and 2 * 3 * 4 as they are.\n",
        encoding="utf-8",
    )
    [article], skipped = run([path])
    assert skipped == []
    assert article.title == "Drone strike in Baghdad"
    assert article.source == "note"
    assert article.text == (
        "Drone strike in Baghdad\n\n"
        "The prime minister survived, said Reuters.\n\n"
        "Reaction\n\nCalm and restraint, he said.\n\n"
        "Keep snake_case_names and 2 * 3 * 4 as they are."
    )


def test_markdown_front_matter_gives_metadata(tmp_path: Path) -> None:
    path = tmp_path / "post.markdown"
    path.write_text(
        '---\ntitle: "Ports close"\ndate: 2024-03-05\nsource: Coast News\n'
        "url: https://coast.example/ports\n---\nThe storm closed three ports.\n",
        encoding="utf-8",
    )
    [article], _ = run([path])
    assert (article.title, article.source, article.published, article.url) == (
        "Ports close",
        "Coast News",
        "2024-03-05",
        "https://coast.example/ports",
    )
    assert article.text == "The storm closed three ports."


def test_markdown_to_text_drops_images_keeps_link_text() -> None:
    assert markdown_to_text("See ![a](b.png)[the map](http://m) now") == "See the map now"


# ---------------------------------------------------------------------------------------------
# HTML

PAGE = """<!doctype html><html><head><title>Drone hits PM home | Example News</title>
<meta property="og:site_name" content="Example News">
<meta property="og:url" content="https://news.example/drone">
<meta property="article:published_time" content="2021-11-07T10:30:00Z">
</head><body><nav><a href="/">Home</a> | <a href="/world">World</a></nav>
<article><h1>Drone hits PM home</h1>
<p>Iraqi Prime Minister Mustafa al-Kadhimi survived an assassination attempt on Sunday after
explosive-laden drones targeted his residence in Baghdad, officials said.</p>
<p>The Iraqi military said Kadhimi escaped unharmed and is safe. However, it noted that seven
members of his personal protection force were wounded.</p></article>
<footer>Copyright 2021 Example News. Privacy policy.</footer></body></html>"""


def test_html_main_text_and_metadata(tmp_path: Path) -> None:
    path = tmp_path / "page.html"
    path.write_text(PAGE, encoding="utf-8")
    [article], skipped = run([path])
    assert skipped == []
    assert article.title == "Drone hits PM home"
    assert article.source == "Example News"
    assert article.published == "2021-11-07"
    assert article.url == "https://news.example/drone"
    assert article.ref == str(path)
    assert "Mustafa al-Kadhimi survived an assassination attempt" in article.text
    assert "seven\nmembers" not in article.text and "seven members" in article.text
    assert "World" not in article.text and "Privacy" not in article.text


def test_html_without_main_text_is_skipped(tmp_path: Path) -> None:
    empty = tmp_path / "a.htm"
    empty.write_text(
        "<html><head><title>Shell</title><script>var x = 1;</script></head><body></body></html>",
        encoding="utf-8",
    )
    good = good_file(tmp_path, "b.txt")
    articles, skipped = run([tmp_path])
    assert_one_skip(skipped, empty, "no main text")
    assert [a.ref for a in articles] == [str(good)]


# ---------------------------------------------------------------------------------------------
# JSON and JSON Lines


def test_jsonl_text_is_verbatim_and_fields_mapped(tmp_path: Path) -> None:
    text = "  Leading spaces.\r\nTrailing spaces   \n\n\tTab\x1b[1m kept\n\n"
    record = {
        "id": "a-1",
        "source": "Wire\x1b[31m\nService",
        "title": "Title\twith\x07 controls",
        "url": "https://w.example/1",
        "published": "Sun, 07 Nov 2021 10:30:00 GMT",
        "text": text,
        "extra": {"ignored": True},
    }
    path = tmp_path / "feed.jsonl"
    path.write_bytes((json.dumps(record) + "\n").encode("utf-8"))
    [article], skipped = run([path])
    assert skipped == []
    assert article.text.encode("utf-8") == text.encode("utf-8")  # byte for byte
    assert article.ref == "a-1"
    assert article.source == "Wire Service"
    assert article.title == "Title with controls"
    assert article.url == "https://w.example/1"
    assert article.published == "2021-11-07T10:30:00+00:00"


def test_jsonl_bad_lines_reported_with_numbers_good_lines_kept(tmp_path: Path) -> None:
    path = tmp_path / "mixed.jsonl"
    lines = [
        json.dumps({"id": "one", "text": "First story."}),
        "{not json",
        "",
        json.dumps({"id": "no-text", "title": "Headline only"}),
        json.dumps({"id": "blank", "text": "   \n "}),
        json.dumps(["a", "list"]),
        json.dumps({"text": "No id here.", "published": "not a date"}),
        json.dumps({"id": 7, "text": 42}),
    ]
    path.write_text("\n".join(lines), encoding="utf-8")
    articles, skipped = run([path])
    assert [a.ref for a in articles] == ["one", f"{path}:7"]
    assert articles[1].source == "mixed" and articles[1].published is None
    assert articles[1].title == "No id here."
    assert [s.where for s in skipped] == [f"{path}:{n}" for n in (2, 4, 5, 6, 8)]
    reasons = [s.reason for s in skipped]
    assert "not valid JSON" in reasons[0]
    assert 'no "text"' in reasons[1]
    assert 'empty "text"' in reasons[2]
    assert "expected a JSON object" in reasons[3]
    assert "not a string" in reasons[4]


def test_jsonl_invalid_utf8_skips_only_that_line(tmp_path: Path) -> None:
    path = tmp_path / "latin.jsonl"
    path.write_bytes(
        b'{"id": "a", "text": "fine"}\n{"id": "b", "text": "caf\xe9"}\n{"id": "c", "text": "ok"}\n'
    )
    articles, skipped = run([path])
    assert [a.ref for a in articles] == ["a", "c"]
    assert_one_skip(skipped, f"{path}:2", "not valid UTF-8", "offset 24", "convert it to UTF-8")


def test_jsonl_article_over_the_limit_is_skipped_and_the_limit_counts_text_not_escapes(
    tmp_path: Path,
) -> None:
    path = tmp_path / "huge.jsonl"
    limit = limits.MAX_ARTICLE_CHARS
    with path.open("w", encoding="utf-8") as out:
        out.write(json.dumps({"id": "big", "text": "x" * (limit + 1)}) + "\n")
        # At the limit, but its line is three times longer: every quote is escaped.
        out.write(json.dumps({"id": "quotes", "text": '"' * (limit - 1) + "y"}) + "\n")
        out.write(json.dumps({"id": "after", "text": "Small story."}) + "\n")
    articles, skipped = run([path])
    assert [a.ref for a in articles] == ["quotes", "after"]
    assert len(articles[0].text) == limit
    assert_one_skip(skipped, f"{path}:1", "2,000,001 characters", "over the 2,000,000 limit")


def test_jsonl_endless_line_is_read_in_bounded_pieces(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setattr(limits, "MAX_ARTICLE_CHARS", 50)
    path = tmp_path / "endless.jsonl"
    path.write_text(
        '{"id": "a", "text": "' + "y" * 5000 + '"}\n{"id": "b", "text": "ok"}\n', encoding="utf-8"
    )
    reads: list[int] = []
    real_byte_lines = readers._byte_lines

    def spy(handle):
        for line in real_byte_lines(handle):
            reads.append(len(line))
            yield line

    monkeypatch.setattr(readers, "_byte_lines", spy)
    articles, skipped = run([path])
    assert [a.ref for a in articles] == ["b"]
    assert_one_skip(skipped, f"{path}:1", "line over 4,394 characters")
    assert max(reads) <= limits.line_limit()  # never held the 5000-character line whole


def test_jsonl_over_the_file_limit_is_streamed(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setattr(limits, "MAX_FILE_BYTES", 1000)
    path = tmp_path / "many.jsonl"
    path.write_text(
        "".join(json.dumps({"id": str(n), "text": f"Story {n}."}) + "\n" for n in range(200)),
        encoding="utf-8",
    )
    assert path.stat().st_size > 1000
    articles, skipped = run([path])
    assert skipped == [] and len(articles) == 200


def test_ecbplus_dev_yields_772_articles_with_their_ids() -> None:
    if not ECBPLUS.exists():
        pytest.fail(f"{ECBPLUS} is missing")
    articles, skipped = run([ECBPLUS])
    assert skipped == [] and len(articles) == 772
    with ECBPLUS.open(encoding="utf-8") as handle:
        records = [json.loads(line) for line in handle]
    assert [a.ref for a in articles] == [r["id"] for r in records]
    assert [a.text for a in articles] == [r["text"] for r in records]
    assert estimate_total([ECBPLUS]) == 772


def test_json_object_and_list(tmp_path: Path) -> None:
    one = tmp_path / "one.json"
    one.write_text(json.dumps({"id": "x", "title": "T", "text": " Body \n"}), encoding="utf-8")
    many = tmp_path / "many.json"
    many.write_text(
        json.dumps([{"text": "First."}, {"title": "no text"}, {"id": "z", "text": "Third."}]),
        encoding="utf-8",
    )
    articles, skipped = run([one, many])
    assert [(a.ref, a.text) for a in articles] == [
        ("x", " Body \n"),
        (f"{many}#1", "First."),
        ("z", "Third."),
    ]
    assert_one_skip(skipped, f"{many}#2", 'no "text"')


def test_malformed_json_file_is_skipped(tmp_path: Path) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text('{"text": "unterminated', encoding="utf-8")
    good = good_file(tmp_path)
    articles, skipped = run([bad, good])
    assert_one_skip(skipped, bad, "not valid JSON", "line 1")
    assert [a.ref for a in articles] == [str(good)]


# ---------------------------------------------------------------------------------------------
# Feeds

RSS = """<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0"><channel><title>Gulf &amp; World Wire</title><link>https://gw.example</link>
<item><title>Drone strike on PM</title><link>https://gw.example/1</link><guid>gw-1</guid>
<pubDate>Sun, 07 Nov 2021 10:30:00 GMT</pubDate>
<description>&lt;p&gt;The PM &lt;b&gt;survived&lt;/b&gt;.&lt;/p&gt;&lt;p&gt;Calm urged.&lt;/p&gt;
&lt;script&gt;track()&lt;/script&gt;</description></item>
<item><title>No guid here</title><link>https://gw.example/2</link>
<description>Second entry text.</description></item>
<item><title>Empty</title><guid>gw-3</guid></item>
</channel></rss>"""

ATOM = """<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title>Atom Times</title>
<entry><id>urn:atom:1</id><title type="html">Ports &lt;i&gt;close&lt;/i&gt;</title>
<link href="https://at.example/ports"/><published>2024-03-05T08:00:00Z</published>
<summary>Short summary.</summary>
<content type="html">&lt;p&gt;The storm closed three ports on Monday.&lt;/p&gt;</content>
</entry></feed>"""


def test_rss_feed_entries(tmp_path: Path) -> None:
    path = tmp_path / "gw.rss"
    path.write_text(RSS, encoding="utf-8")
    articles, skipped = run([path])
    assert [a.ref for a in articles] == ["gw-1", "https://gw.example/2"]
    first = articles[0]
    assert first.source == "Gulf & World Wire"
    assert first.title == "Drone strike on PM"
    assert first.url == "https://gw.example/1"
    assert first.published == "2021-11-07T10:30:00+00:00"
    assert first.text == "The PM survived.\n\nCalm urged."
    assert_one_skip(skipped, f"{path}#3", "no text")


def test_atom_feed_entry_content_preferred_over_summary(tmp_path: Path) -> None:
    path = tmp_path / "times.atom"
    path.write_text(ATOM, encoding="utf-8")
    [article], skipped = run([path])
    assert skipped == []
    assert article == Incoming(
        ref="urn:atom:1",
        source="Atom Times",
        title="Ports close",
        text="The storm closed three ports on Monday.",
        url="https://at.example/ports",
        published="2024-03-05T08:00:00+00:00",
    )


def test_malformed_feed_is_skipped(tmp_path: Path) -> None:
    bad = tmp_path / "broken.xml"
    bad.write_text("this is not XML < at all &", encoding="utf-8")
    not_feed = tmp_path / "config.xml"
    not_feed.write_text("<config><value>1</value></config>", encoding="utf-8")
    good = good_file(tmp_path, "z.txt")
    articles, skipped = run([bad, not_feed, good])
    assert [s.where for s in skipped] == [str(bad), str(not_feed)]
    assert "not a valid RSS/Atom feed" in skipped[0].reason
    assert "no RSS/Atom entries" in skipped[1].reason
    assert [a.ref for a in articles] == [str(good)]


# ---------------------------------------------------------------------------------------------
# Folders


def test_folder_is_read_recursively_sorted_hidden_skipped(tmp_path: Path) -> None:
    (tmp_path / "b").mkdir()
    (tmp_path / "a").mkdir()
    (tmp_path / ".git").mkdir()
    for rel in ("b/2.txt", "a/z.txt", "a/m.txt", "c.txt", ".hidden.txt", ".git/x.txt"):
        (tmp_path / rel).write_text(f"Story from {rel}.\n", encoding="utf-8")
    articles, skipped = run([tmp_path])
    assert skipped == []
    assert [a.ref for a in articles] == [
        str(tmp_path / rel) for rel in ("a/m.txt", "a/z.txt", "b/2.txt", "c.txt")
    ]
    assert estimate_total([tmp_path]) == 4


def test_refs_keep_the_path_as_given(tmp_path: Path, monkeypatch) -> None:
    (tmp_path / "docs").mkdir()
    good_file(tmp_path / "docs", "a.txt")
    monkeypatch.chdir(tmp_path)
    [article], _ = run(["docs"])
    assert article.ref == os.path.join("docs", "a.txt")


def test_directory_symlink_loop_terminates(tmp_path: Path) -> None:
    root = tmp_path / "root"
    (root / "sub").mkdir(parents=True)
    good_file(root / "sub", "a.txt")
    (root / "sub" / "loop").symlink_to(root, target_is_directory=True)
    (root / "self").symlink_to(root / "self")  # a symlink pointing at itself
    articles, skipped = run([root])
    assert [a.ref for a in articles] == [str(root / "sub" / "a.txt")]
    wheres = {s.where: s.reason for s in skipped}
    assert "symlink loop" in wheres[str(root / "sub" / "loop")]
    assert "symlink loop" in wheres[str(root / "self")]
    assert len(skipped) == 2
    assert estimate_total([root]) == 1


def test_two_symlinks_to_one_folder_read_it_once(tmp_path: Path) -> None:
    shared = tmp_path / "shared"
    shared.mkdir()
    good_file(shared, "a.txt")
    top = tmp_path / "top"
    top.mkdir()
    (top / "one").symlink_to(shared, target_is_directory=True)
    (top / "two").symlink_to(shared, target_is_directory=True)
    articles, skipped = run([top])
    assert [a.ref for a in articles] == [str(top / "one" / "a.txt")]
    assert_one_skip(skipped, top / "two", f"same folder as {top / 'one'}")


def test_reading_is_lazy(tmp_path: Path) -> None:
    first = good_file(tmp_path, "a.txt")
    second = good_file(tmp_path, "b.txt")
    items = read_inputs([str(tmp_path)])
    assert isinstance(items, types.GeneratorType)
    assert next(items).ref == str(first)
    second.unlink()  # not yet opened: the reader finds it gone
    assert list(items) == [Skipped(str(second), "no such file or directory")]


# ---------------------------------------------------------------------------------------------
# Bad inputs: each skipped with one clear reason; its neighbours still read


def test_missing_path(tmp_path: Path) -> None:
    good = good_file(tmp_path)
    missing = tmp_path / "nope.txt"
    articles, skipped = run([missing, good])
    assert_one_skip(skipped, missing, "no such file")
    assert [a.ref for a in articles] == [str(good)]


def test_broken_symlink(tmp_path: Path) -> None:
    dangling = tmp_path / "a.txt"
    dangling.symlink_to(tmp_path / "gone.txt")
    good = good_file(tmp_path, "b.txt")
    articles, skipped = run([tmp_path])
    assert_one_skip(skipped, dangling, "broken symlink")
    assert [a.ref for a in articles] == [str(good)]


def test_permission_denied(tmp_path: Path, monkeypatch) -> None:
    locked = tmp_path / "a_locked.txt"
    locked.write_text("Secret story.\n", encoding="utf-8")
    locked.chmod(0o000)
    good = good_file(tmp_path, "b.txt")
    if os.geteuid() == 0:
        # root reads mode-000 files anyway; make open() fail as it does for any other user.
        real_open = os.open

        def denying_open(file, *args, **kwargs):
            if Path(file) == locked:
                raise PermissionError(13, "Permission denied", str(file))
            return real_open(file, *args, **kwargs)

        monkeypatch.setattr(readers.os, "open", denying_open)
    try:
        articles, skipped = run([tmp_path])
    finally:
        locked.chmod(0o644)
    assert_one_skip(skipped, locked, "permission denied")
    assert [a.ref for a in articles] == [str(good)]


def test_binary_file(tmp_path: Path) -> None:
    binary = tmp_path / "a.txt"
    binary.write_bytes(b"GIF89a\x00\x01\x02" + bytes(range(256)) * 10)
    good = good_file(tmp_path, "b.txt")
    articles, skipped = run([tmp_path])
    assert_one_skip(skipped, binary, "binary file")
    assert [a.ref for a in articles] == [str(good)]


def test_invalid_utf8_file(tmp_path: Path) -> None:
    latin = tmp_path / "a.txt"
    latin.write_bytes("Café owners protest.\n".encode("latin-1"))
    good = good_file(tmp_path, "b.txt")
    articles, skipped = run([tmp_path])
    skip = assert_one_skip(skipped, latin, "convert it to UTF-8")
    assert skip.reason.startswith("not valid UTF-8 (first bad byte at offset 3)")
    assert [a.ref for a in articles] == [str(good)]


def test_bom_and_long_blank_lead_are_fine_and_offsets_count_the_bom(tmp_path: Path) -> None:
    padded = tmp_path / "a.txt"
    padded.write_bytes(b"\xef\xbb\xbf" + b"\n" * 10_000 + b"Late headline\nA body sentence.\n")
    bad = tmp_path / "b.txt"
    bad.write_bytes(b"\xef\xbb\xbfab\xffc")
    [article], skipped = run([padded, bad])
    assert (article.title, article.text) == ("Late headline", "Late headline\nA body sentence.")
    assert_one_skip(skipped, bad, "first bad byte at offset 5")


@pytest.mark.parametrize("content", [b"", b"  \n\t\n \r\n"])
@pytest.mark.parametrize("name", ["a.txt", "a.md", "a.html", "a.json", "a.jsonl", "a.rss"])
def test_empty_and_whitespace_files(tmp_path: Path, name: str, content: bytes) -> None:
    empty = tmp_path / name
    empty.write_bytes(content)
    good = good_file(tmp_path, "b.txt")
    articles, skipped = run([tmp_path])
    assert_one_skip(skipped, empty, "empty file" if not content else "only whitespace")
    assert [a.ref for a in articles] == [str(good)]


def test_boilerplate_only_text_is_skipped(tmp_path: Path) -> None:
    chrome = tmp_path / "a.txt"
    chrome.write_text("Share on Facebook\nLEAVE A REPLY\nPlease enter your comment!\n")
    articles, skipped = run([chrome, good_file(tmp_path, "b.txt")])
    assert_one_skip(skipped, chrome, "no article text")
    assert len(articles) == 1


def test_huge_text_file_refused_without_reading_it(tmp_path: Path, monkeypatch) -> None:
    huge = tmp_path / "a_huge.txt"
    with huge.open("wb") as out:
        out.truncate(50 * 1024 * 1024)  # sparse: 50 MB by stat, nothing on disk
    good = good_file(tmp_path, "b.txt")
    opened: list[Path] = []

    def recording_open(file, *args, **kwargs):
        opened.append(Path(file))
        return builtins.open(file, *args, **kwargs)

    real_os_open = os.open

    def recording_os_open(file, *args, **kwargs):
        opened.append(Path(file))
        return real_os_open(file, *args, **kwargs)

    monkeypatch.setattr(readers, "open", recording_open, raising=False)
    monkeypatch.setattr(readers.os, "open", recording_os_open)
    articles, skipped = run([tmp_path])
    assert_one_skip(skipped, huge, "50.0 MB", "over the 20 MB limit")
    assert huge not in opened, "a file over the limit is refused by its size, never read"
    assert good in opened  # the recorder sees the way files are opened
    assert [a.ref for a in articles] == [str(good)]


@pytest.mark.parametrize("name", ["photo.png", "paper.pdf", "memo.docx", "README"])
def test_unknown_file_types(tmp_path: Path, name: str) -> None:
    odd = tmp_path / name
    odd.write_bytes(b"whatever")
    good = good_file(tmp_path, "zz.txt")
    articles, skipped = run([tmp_path])
    suffix = Path(name).suffix
    assert_one_skip(skipped, odd, f"unsupported file type {suffix}".rstrip())
    assert [a.ref for a in articles] == [str(good)]


# ---------------------------------------------------------------------------------------------
# stdin


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        ('\n{"id": "s1", "text": "Piped  text "}\n{"id": "s2", "text": "Two"}\n', ["s1", "s2"]),
        ('[{"id": "j1", "text": "List item."}]', ["j1"]),
        (RSS, ["gw-1", "https://gw.example/2"]),
        (ATOM, ["urn:atom:1"]),
        (PAGE, ["-"]),
        ("Headline here\nBody text of the piped story.\n", ["-"]),
    ],
    ids=["jsonl", "json", "rss", "atom", "html", "text"],
)
def test_stdin_formats_are_sniffed(tmp_path: Path, data: str, expected: list[str]) -> None:
    good = good_file(tmp_path)
    articles, _ = run(["-", good], stdin=io.StringIO(data))
    assert [a.ref for a in articles] == [*expected, str(good)]


def test_stdin_jsonl_text_verbatim_and_bad_lines() -> None:
    data = '{"id": "a", "text": " keep  me \\n"}\n{oops\n'
    articles, skipped = run(["-"], stdin=io.StringIO(data))
    assert articles[0].text == " keep  me \n"
    assert articles[0].source == "stdin"
    assert_one_skip(skipped, "-:2", "not valid JSON")


def test_stdin_html_uses_metadata_and_text_gets_a_title() -> None:
    [page], _ = run(["-"], stdin=io.StringIO(PAGE))
    assert (page.title, page.source) == ("Drone hits PM home", "Example News")
    [text], _ = run(["-"], stdin=io.StringIO("Headline here\nBody text.\n"))
    assert (text.title, text.source, text.text) == (
        "Headline here",
        "stdin",
        "Headline here\nBody text.",
    )


def test_stdin_jsonl_endless_line_is_skipped_and_the_next_read(monkeypatch) -> None:
    monkeypatch.setattr(limits, "MAX_ARTICLE_CHARS", 50)
    data = '{"id": "a", "text": "' + "y" * 20000 + '"}\n{"id": "b", "text": "ok"}\n'
    articles, skipped = run(["-"], stdin=io.StringIO(data))
    assert [a.ref for a in articles] == ["b"]
    assert_one_skip(skipped, "-:1", "line over 4,394 characters")


def test_feed_labels_lose_control_characters(tmp_path: Path) -> None:
    path = tmp_path / "evil.rss"
    path.write_text(
        RSS.replace("Gulf &amp; World Wire", "Gulf&#27;[2J Wire").replace(
            "Drone strike on PM", "Drone&#7; strike"
        ),
        encoding="utf-8",
    )
    first = run([path])[0][0]
    assert (first.source, first.title) == ("Gulf Wire", "Drone strike")


def test_stdin_empty_and_too_big(monkeypatch) -> None:
    assert run(["-"], stdin=io.StringIO("  \n")) == ([], [Skipped("-", "empty input")])
    monkeypatch.setattr(limits, "MAX_FILE_BYTES", 100)
    _, skipped = run(["-"], stdin=io.StringIO("word " * 100))
    assert_one_skip(skipped, "-", "MB limit")


# ---------------------------------------------------------------------------------------------
# estimate_total and dates


def test_estimate_total(tmp_path: Path) -> None:
    (tmp_path / "a.jsonl").write_text('{"text": "1"}\n{"text": "2"}\n{"text": "3"}')
    (tmp_path / "b.rss").write_text(RSS)
    (tmp_path / "c.png").write_bytes(b"\x89PNG")
    good_file(tmp_path, "d.txt")
    assert estimate_total([tmp_path, tmp_path / "missing.txt"]) == 5
    assert estimate_total([tmp_path, "-"]) is None


@pytest.mark.parametrize(
    ("raw", "iso"),
    [
        ("2021-11-08", "2021-11-08"),
        ("2021-11-08T10:30:00Z", "2021-11-08T10:30:00+00:00"),
        ("2021-11-08 10:30", "2021-11-08T10:30:00"),
        ("Sun, 07 Nov 2021 10:30:00 GMT", "2021-11-07T10:30:00+00:00"),
        ("November 8, 2021", "2021-11-08"),
        ("May 03, 2013", "2013-05-03"),
        ("8 Nov 2021", "2021-11-08"),
        ("Monday, Nov. 8th, 2021", "2021-11-08"),
        ("2021-13-45", None),
        ("yesterday", None),
        ("", None),
        (None, None),
        (1636280000, None),
    ],
)
def test_normalise_date(raw, iso) -> None:
    assert normalise_date(raw) == iso
