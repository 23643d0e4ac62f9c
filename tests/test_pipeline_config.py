"""newskg's pipeline as spaCy components: saved, loaded without kg, configured, fingerprinted."""

from __future__ import annotations

import importlib.metadata
import json
import shutil
import subprocess
import sys
import textwrap
from datetime import date
from pathlib import Path

import pytest
import spacy
from spacy.language import Language
from typer.testing import CliRunner

from kg.cache import pipeline_fingerprint
from kg.cli import app
from kg.defaults import DEFAULT_MODEL
from kg.extract.component import ARTICLE, BodyMismatchError
from kg.nlp import article_doc, build_pipeline
from kg.pipeline_config import DATA_SETTINGS, ENTITIES, EXTRACT, FACTORIES, SettingError
from kg.record_json import extraction_to_json
from kg.records import Article, Segment
from kg.uptodate import build_settings

ROOT = Path(__file__).resolve().parent.parent
ARTICLES = ROOT / "articles"
OUTPUTS = ("graph.ttl", "graph.trig", "graph.nq", "graph.jsonld", "graph.graphml", "graph.html")
SENTENCE = "Col. Dana Whitlock said 450 Marines will leave Darwin for Guam in March."

# Run in a fresh interpreter that never imports kg itself: spaCy must find newskg's
# factories through the package's entry points.
LOAD_SAVED = textwrap.dedent(
    """
    import json, sys
    import spacy
    assert "kg" not in sys.modules
    nlp = spacy.load(sys.argv[1])
    doc = nlp(sys.argv[2])
    from kg.record_json import extraction_to_json
    print(json.dumps({
        "pipe_names": nlp.pipe_names,
        "tokens": [t.text for t in doc],
        "extraction": extraction_to_json(doc._.newskg),
    }))
    """
)


@pytest.fixture(scope="module")
def saved(nlp: Language, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The build's pipeline, saved with `nlp.to_disk`."""
    folder = tmp_path_factory.mktemp("pipeline")
    nlp.to_disk(folder)
    return folder


def _entry_points_of_another_checkout() -> str | None:
    """Where the installed newskg comes from, when that is not this checkout (whose
    pyproject then may not be the one the entry points were installed from)."""
    direct = importlib.metadata.distribution("newskg").read_text("direct_url.json")
    url = json.loads(direct).get("url", "") if direct else ""
    return url if url.startswith("file:") and url != ROOT.as_uri() else None


def test_pipeline_config_settings_are_in_nlp_config(nlp: Language):
    components = nlp.config["components"]
    assert [n for n in nlp.pipe_names if components[n]["factory"] in FACTORIES] == [
        "newskg_sentences",
        ENTITIES,
        EXTRACT,
    ]
    assert nlp.pipe_names[-1] == EXTRACT
    entities = components[ENTITIES]
    assert entities["gazetteer"] == "" and entities["knowledge"] is True
    settings = {**entities, **components[EXTRACT]}
    assert set(DATA_SETTINGS) <= set(settings)


def test_pipeline_config_round_trips_through_to_disk_and_spacy_load(nlp: Language, saved: Path):
    other = _entry_points_of_another_checkout()
    if other:
        pytest.skip(f"the installed newskg is {other}: pip install -e this checkout")
    here = nlp(SENTENCE)
    done = subprocess.run(
        [sys.executable, "-c", LOAD_SAVED, str(saved), SENTENCE],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr
    there = json.loads(done.stdout)
    assert there["pipe_names"] == nlp.pipe_names
    # The tokenizer's special cases were saved: 'Col.' stays one word.
    assert there["tokens"][:3] == ["Col.", "Dana", "Whitlock"]
    assert there["extraction"] == extraction_to_json(here._.newskg)
    assert here._.newskg.events and here._.newskg.mentions


def test_pipeline_config_a_plain_text_doc_is_extracted(nlp: Language):
    extraction = nlp(SENTENCE)._.newskg
    assert extraction.article.source_file == ""
    assert extraction.article.published is None
    names = {m.name: m.entity_class for m in extraction.mentions}
    assert names["Dana Whitlock"] == "Person"
    assert [e.event_type for e in extraction.events] == ["Withdrawal"]


def test_pipeline_config_the_article_set_on_the_doc_is_read(nlp: Language):
    text = "The last 90 soldiers left the base on Friday."
    article = Article(
        "wire/late.txt", text, text, (Segment(0, 0, len(text)),), published=date(2024, 3, 4)
    )
    extraction = nlp(article_doc(nlp, article))._.newskg
    assert extraction.article == article
    assert [e.date for e in extraction.events] == ["2024-03-01"]  # read against its date
    other = nlp.make_doc("Other words.")
    other._.set(ARTICLE, article)
    with pytest.raises(BodyMismatchError):
        nlp(other)


BASE_TTL = """\
@prefix kg: <https://w3id.org/newskg/ontology#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix base: <https://w3id.org/newskg/id/base/> .

base:camp-ardent-vale a kg:MilitaryBase ;
    rdfs:label "Ardent Vale" .
"""


def test_pipeline_config_a_gazetteer_of_ones_own_changes_what_is_recognised(
    nlp: Language, tmp_path: Path
):
    (tmp_path / "bases.ttl").write_text(BASE_TTL, encoding="utf-8")
    own = spacy.load(DEFAULT_MODEL)
    own.add_pipe(ENTITIES, after="ner", config={"gazetteer": str(tmp_path), "knowledge": False})
    own.add_pipe(EXTRACT)
    text = "The soldiers left Ardent Vale for Qatar on Tuesday."

    def found(pipeline: Language) -> dict[str, tuple[str, str | None]]:
        mentions = pipeline(text)._.newskg.mentions
        return {m.text: (m.entity_class, m.gazetteer_id) for m in mentions}

    assert found(own)["Ardent Vale"] == ("MilitaryBase", "base/camp-ardent-vale")
    assert found(own)["Qatar"][1] is None  # the shipped gazetteer is not read
    assert found(nlp)["Ardent Vale"][1] is None
    assert found(nlp)["Qatar"] == ("Country", "country/qatar")


def test_pipeline_config_a_saved_pipeline_builds_the_same_graph(
    saved: Path, sample_build: Path, tmp_path: Path
):
    assert build_pipeline(str(saved)).pipe_names == spacy.load(saved).pipe_names
    out = tmp_path / "out"
    result = CliRunner().invoke(
        app, ["build", str(ARTICLES), "--out", str(out), "--model", str(saved), "--no-cache"]
    )
    assert result.exit_code == 0, result.output
    for name in OUTPUTS:
        assert (out / name).read_bytes() == (sample_build / name).read_bytes(), name


def test_pipeline_config_a_build_resolves_against_the_pipelines_own_gazetteer(
    saved: Path, tmp_path: Path
):
    folder = tmp_path / "pipeline"
    shutil.copytree(saved, folder)
    (tmp_path / "gazetteer").mkdir()
    (tmp_path / "gazetteer" / "bases.ttl").write_text(BASE_TTL, encoding="utf-8")
    config = (folder / "config.cfg").read_text(encoding="utf-8")
    config = config.replace('gazetteer = ""', f'gazetteer = "{tmp_path / "gazetteer"}"')
    (folder / "config.cfg").write_text(config, encoding="utf-8")
    (tmp_path / "in").mkdir()
    story = "Ardent Vale emptied.\n\nThe soldiers left Ardent Vale for Qatar on Tuesday.\n"
    (tmp_path / "in" / "vale.txt").write_text(story, encoding="utf-8")
    out = tmp_path / "out"
    arguments = ["build", str(tmp_path / "in"), "--out", str(out), "--model", str(folder)]
    result = CliRunner().invoke(app, [*arguments, "--no-cache"])
    assert result.exit_code == 0, result.output
    assert "<https://w3id.org/newskg/id/base/camp-ardent-vale>" in (out / "graph.nq").read_text()


def test_pipeline_config_the_cache_key_follows_settings_and_data(saved: Path, tmp_path: Path):
    folder = tmp_path / "pipeline"
    (folder / "gazetteer").mkdir(parents=True)
    (folder / "meta.json").write_bytes((saved / "meta.json").read_bytes())
    (folder / "gazetteer" / "bases.ttl").write_text(BASE_TTL, encoding="utf-8")
    lexicon = tmp_path / "event_triggers.json"
    lexicon.write_bytes((ROOT / "kg" / "data" / "event_triggers.json").read_bytes())
    config = (saved / "config.cfg").read_text(encoding="utf-8")
    config = config.replace('gazetteer = ""', f'gazetteer = "{folder / "gazetteer"}"')
    config = config.replace('event_triggers = ""', f'event_triggers = "{lexicon}"')
    (folder / "config.cfg").write_text(config, encoding="utf-8")
    first = pipeline_fingerprint(str(folder))
    settings = build_settings(
        str(folder), "https://example.org/", ["turtle"], validate=False, consensus=2
    )
    assert first == pipeline_fingerprint(str(folder))

    lexicon.write_bytes(lexicon.read_bytes().replace(b'"withdraw"', b'"withdrew"', 1))
    second = pipeline_fingerprint(str(folder))
    assert second != first
    (folder / "gazetteer" / "bases.ttl").write_text(BASE_TTL.replace("Vale", "Dale"))
    third = pipeline_fingerprint(str(folder))
    assert third != second
    (folder / "config.cfg").write_text(config.replace("knowledge = true", "knowledge = false"))
    assert pipeline_fingerprint(str(folder)) not in {first, second, third}
    assert (
        build_settings(str(folder), "https://example.org/", ["turtle"], validate=False, consensus=2)
        != settings
    )


def test_pipeline_config_a_setting_naming_no_file_is_refused(saved: Path, tmp_path: Path):
    own = spacy.load(DEFAULT_MODEL)
    with pytest.raises(SettingError, match="the recognition setting names"):
        own.add_pipe(ENTITIES, config={"recognition": str(tmp_path / "words.json")})
    folder = tmp_path / "pipeline"
    folder.mkdir()
    (folder / "meta.json").write_bytes((saved / "meta.json").read_bytes())
    config = (saved / "config.cfg").read_text(encoding="utf-8")
    missing = tmp_path / "gazeteer"  # a typo must not give an empty gazetteer
    config = config.replace('gazetteer = ""', f'gazetteer = "{missing}"')
    (folder / "config.cfg").write_text(config, encoding="utf-8")
    result = CliRunner().invoke(
        app, ["build", str(ARTICLES), "--out", str(tmp_path / "out"), "--model", str(folder)]
    )
    assert result.exit_code == 2
    assert f"names '{missing}', which is no folder" in result.stderr
