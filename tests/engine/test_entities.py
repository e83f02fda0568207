"""The entity engine over SQLite: the seed acceptance, caching, the alias file, merge/split."""

import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from crosswire.index import schema
from crosswire.index.entities import ner
from crosswire.index.entities.names import name_key
from crosswire.index.entities.record import Entities
from crosswire.index.model import CrosswireError, article_id
from crosswire.seeds import seed_paths


def insert_seeds(conn: sqlite3.Connection) -> list[str]:
    ids = []
    for number, path in enumerate(seed_paths()):
        text = path.read_text(encoding="utf-8")
        first = text.splitlines()[0]
        title = first if len(first) < 120 else path.stem
        aid = article_id(text)
        conn.execute(
            "INSERT INTO articles(id, ref, source, title, text, added_at) VALUES(?,?,?,?,?,?)",
            (aid, path.name, f"outlet{number}", title, text, "2026-01-01T00:00:00Z"),
        )
        conn.execute(
            "INSERT INTO article_refs(article_id, source, ref) VALUES(?, ?, ?)",
            (aid, f"outlet{number}", path.name),
        )
        ids.append(aid)
    conn.commit()
    return ids


@pytest.fixture(scope="module")
def seeded_db(tmp_path_factory) -> Path:
    """The seeds annotated once (spaCy runs here once for the module)."""
    path = tmp_path_factory.mktemp("entities") / "library.sqlite3"
    conn = sqlite3.connect(path)
    schema.create(conn)
    insert_seeds(conn)
    entities = Entities(conn, path.parent / "aliases.toml")
    entities.annotate(entities.pending())
    entities.resolve()
    conn.close()
    return path


@pytest.fixture
def db(seeded_db, tmp_path) -> tuple[sqlite3.Connection, Entities, Path]:
    path = tmp_path / "library.sqlite3"
    path.write_bytes(seeded_db.read_bytes())
    conn = sqlite3.connect(path)
    alias_file = tmp_path / "aliases.toml"
    yield conn, Entities(conn, alias_file), alias_file
    conn.close()


def names_of(entities: Entities, name: str) -> set[str]:
    detail = entities.entity(name)
    assert detail is not None, name
    return {detail.name, *(a.name for a in detail.aliases)}


def test_kadhimi_is_one_person_in_all_five_seeds_headlines_included(db):
    conn, entities, _ = db
    detail = entities.entity("Kazemi")
    assert detail is not None and detail.kind == "PERSON"
    assert {
        "Mustafa al-Kadhimi",
        "al-Kadhimi",
        "Al-Kadhimi",
        "Kadhimi",
        "Mustafa Kazemi",
        "Kazemi",
    } <= names_of(entities, "Kazemi")
    assert len(detail.mentions_by_source) == 5
    aid, text = conn.execute(
        "SELECT id, text FROM articles WHERE text LIKE '%Iraqi PM Kadhimi Survives%'"
    ).fetchone()
    line_start = text.index("Iraqi PM Kadhimi Survives")
    line_end = text.index("\n", line_start)
    in_headline = [
        m
        for m in entities.mentions(aid)
        if line_start <= m.start < line_end and m.entity_id == detail.id
    ]
    assert [m.text for m in in_headline] == ["Kadhimi"]


@pytest.mark.parametrize(
    "names",
    [
        {"Kataib Hezbollah", "Kata’ib Hezbollah", "Hezbollah Brigades"},
        {"Asaib Ahl al-Haq", "Asa’ib Ahl al-Haq", "Asaib"},
        {"US", "U.S.", "United States"},
        {"Qassem Soleimani", "Soleimani"},
        {"Saeed Khatibzadeh", "Said Khatibzadeh"},
        {"NBC", "NBC News"},
    ],
)
def test_seed_entities_hold_every_spelling(db, names):
    _, entities, _ = db
    ids = {entities.entity(n).id for n in names}
    assert len(ids) == 1
    assert names <= names_of(entities, next(iter(names)))


def test_countries_and_nationalities_stay_apart(db):
    _, entities, _ = db
    ids = {entities.entity(n).id for n in ("Iran", "Iraq", "Iranian", "Iraqi")}
    assert len(ids) == 4
    assert entities.entity("Kataib Hezbollah").kind == "ORG"
    assert "Hezbollah" not in names_of(entities, "Kataib Hezbollah")


def test_keys_expand_and_hints(db):
    _, entities, _ = db
    aid = article_id(seed_paths()[4].read_text(encoding="utf-8"))
    keys = entities.keys_for_article(aid)
    assert "kazemi mustafa" in keys
    expanded = entities.expand("Kadhimi")
    assert expanded and {"kazemi mustafa", "kadhimi mustafa"} <= set(expanded)
    assert entities.expand("Nobody Atall") is None
    [hint] = entities.hints(["Kazemi"])
    assert hint.name == "Mustafa al-Kadhimi" and "Kadhimi" in hint.other_names


def test_entities_list_and_context(db):
    _, entities, _ = db
    people = entities.entities(kind="PERSON")
    assert people[0].name == "Mustafa al-Kadhimi" and len(people[0].sources) == 5
    only = entities.entities(source="outlet4")
    assert all(e.sources == ("outlet4",) for e in only)
    detail = entities.entity("Soleimani", context=20)
    m = detail.mentions_by_source["outlet0"][0]
    assert m.text == "Qassem Soleimani" and len(m.before) == 20 and m.before.endswith("of ")


def test_reannotate_and_resolve_never_rerun_ner(db, monkeypatch):
    conn, entities, _ = db

    def no_spacy(*_a, **_k):
        raise AssertionError("NER ran again")

    monkeypatch.setattr(ner, "extract", no_spacy)
    conn.execute("DELETE FROM annotated")
    before = list(entities.mentions())
    assert entities.annotate(entities.pending()) == 5
    entities.resolve()
    assert list(entities.mentions()) == before
    assert entities.pending() == []


def test_alias_file_same_and_never(db):
    _, entities, alias_file = db
    alias_file.write_text(
        '[[same]]\nnames = ["Qassem Soleimani", "Ali Shamkhani"]\n\n'
        '[[never]]\nnames = ["United States", "US"]\n',
        encoding="utf-8",
    )
    entities.resolve()
    assert entities.entity("Shamkhani").id == entities.entity("Soleimani").id
    assert entities.entity("US").id != entities.entity("United States").id


def test_bad_alias_file_names_file_and_line(db):
    _, entities, alias_file = db
    alias_file.write_text('[[same]]\nnames = ["only one"]\n', encoding="utf-8")
    with pytest.raises(CrosswireError, match=r"aliases\.toml:1: \[\[same\]\] needs"):
        entities.resolve()
    alias_file.write_text("[[same]\nnames = 3\n", encoding="utf-8")
    with pytest.raises(CrosswireError, match=r"aliases\.toml: .*line 1"):
        entities.resolve()


def test_merge_and_split_persist(db, seeded_db, tmp_path):
    conn, entities, alias_file = db
    merged = entities.merge("Ali Shamkhani", "Joe Biden")
    assert entities.entity("Biden").id == merged
    rules = {a.name: a.rule for a in entities.entity(merged).aliases}
    assert "user merge" in rules.values()
    again = Entities(conn, alias_file)
    again.resolve()
    assert again.entity("Joe Biden").id == again.entity("Ali Shamkhani").id

    apart = entities.split("Qassem Soleimani", "Soleimani")
    assert apart != entities.entity("Qassem Soleimani").id
    entities.resolve()
    assert entities.entity("Soleimani").id == apart
    with pytest.raises(CrosswireError):
        entities.split("Iran", "Iraq")
    with pytest.raises(CrosswireError):
        entities.merge("Iran", "Nobody Atall")


def test_a_merge_made_while_another_process_resolves_is_not_undone(db, monkeypatch):
    """The reader merges while an `annotate` process is between computing and writing: the
    merge waits for that resolve's transaction, then resolves itself, so it is never undone."""
    import threading

    conn, background, alias_file = db
    path = conn.execute("PRAGMA database_list").fetchone()[2]
    reader_conn = sqlite3.connect(path, timeout=60, check_same_thread=False)
    reader = Entities(reader_conn, alias_file)
    from crosswire.index.entities import resolve as entities_module  # record imports it per run

    compute = entities_module.resolve
    merging: list[threading.Thread] = []

    def merge_in_the_middle(groups, rules, disabled=()):
        if not merging:
            merging.append(
                threading.Thread(target=reader.merge, args=("Ali Shamkhani", "Joe Biden"))
            )
            merging[0].start()
            merging[0].join(0.5)
            assert merging[0].is_alive(), "the merge waits for the resolve in progress"
        return compute(groups, rules, disabled)

    monkeypatch.setattr(entities_module, "resolve", merge_in_the_middle)
    background.resolve()
    merging[0].join(60)
    assert background.entity("Joe Biden").id == background.entity("Ali Shamkhani").id
    reader_conn.close()


def test_ner_only_pipeline_matches_full_pipeline_on_seeds():
    import spacy

    texts = [p.read_text(encoding="utf-8") for p in seed_paths()]
    nlp = ner.load_pipeline()
    assert nlp.pipe_names == ["ner"]
    full = spacy.load(nlp.meta["lang"] + "_" + nlp.meta["name"])
    for text in texts:
        assert [(e.start_char, e.end_char, e.label_) for e in nlp(text).ents] == [
            (e.start_char, e.end_char, e.label_) for e in full(text).ents
        ]


def test_hints_take_whole_names_only_and_pending_respects_limit(db):
    conn, entities, _ = db
    assert entities.hints(["Mustafa"]) == []  # one word of a name: no table scan, no hint
    assert entities.hints(["drone"]) == []
    conn.execute("DELETE FROM annotated")
    assert len(entities.pending(limit=2)) == 2
    assert entities.annotate(["not-an-article"]) == 0


def test_unknown_alias_section_names_its_line(db):
    _, entities, alias_file = db
    alias_file.write_text('[[same]]\nnames = ["A b", "C d"]\n\n[[maybe]]\nnames = []\n')
    with pytest.raises(CrosswireError, match=r"aliases\.toml:4: unknown section 'maybe'"):
        entities.resolve()


def test_reader_side_never_imports_spacy():
    code = (
        "import sys, crosswire.index.entities.record, crosswire.index.entities.resolve, "
        "crosswire.index.entities.stories; "
        "print('spacy' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def story_library(tmp_path: Path) -> tuple[sqlite3.Connection, Entities]:
    """Two invented stories whose people share a surname; one article of each writes it bare.
    Mentions go straight into the table: no spaCy."""
    ski = [("Marta Kovac", "PERSON"), ("Alpine Union", "ORG"), ("Ivo Peric", "PERSON")]
    council = [("Tomas Kovac", "PERSON"), ("Riverside Council", "ORG"), ("Ella Stone", "PERSON")]
    articles = {f"ski{i}": ski for i in range(3)} | {f"council{i}": council for i in range(3)}
    articles["ski-bare"] = [("Kovac", "PERSON"), *ski[1:]]
    articles["council-bare"] = [("Kovac", "PERSON"), *council[1:]]
    conn = sqlite3.connect(tmp_path / "library.sqlite3")
    schema.create(conn)
    entities = Entities(conn, tmp_path / "aliases.toml")
    for aid, names in articles.items():
        text = ". ".join(n for n, _ in names) + "."
        conn.execute(
            "INSERT INTO articles(id, ref, source, title, text, added_at) VALUES(?,?,?,?,?,?)",
            (aid, aid, aid, aid, text, "2026-01-01T00:00:00Z"),
        )
        for name, kind in names:
            start = text.index(name)
            conn.execute(
                "INSERT INTO mentions VALUES(?, ?, ?, ?, ?, ?, ?)",
                (aid, start, start + len(name), name, kind, name, name_key(name, kind)),
            )
    conn.commit()
    entities.resolve()
    return conn, entities


def bare_entity(entities: Entities, article: str) -> str:
    [m] = [m for m in entities.mentions(article) if m.text == "Kovac"]
    return m.entity_id


def test_a_bare_surname_joins_its_storys_person_and_a_split_undoes_it(tmp_path):
    conn, entities = story_library(tmp_path)
    marta, tomas = entities.entity("Marta Kovac"), entities.entity("Tomas Kovac")
    assert bare_entity(entities, "ski-bare") == marta.id
    assert bare_entity(entities, "council-bare") == tomas.id
    assert {a.name: a.rule for a in marta.aliases} == {"Kovac": "surname in story"}
    # The search keys stay the voted ones; a second resolve changes nothing.
    assert "kovac" in entities.keys_for_article("ski-bare")
    before = list(entities.mentions())
    entities.resolve()
    assert list(entities.mentions()) == before

    entities.split("Marta Kovac", "Kovac")
    assert bare_entity(entities, "ski-bare") != marta.id
    Entities(conn, tmp_path / "aliases.toml").resolve()
    assert bare_entity(entities, "ski-bare") != marta.id
    assert bare_entity(entities, "council-bare") == tomas.id
