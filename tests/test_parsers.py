"""Independent parsers read every RDF file a build writes, and find the triples rdflib finds.

Raptor (`rapper`, Debian raptor2-utils) and Serd (`serdi`, Debian serdi), two
C parsers with no code in common with rdflib or Oxigraph, read the Turtle,
TriG and N-Quads; pyld, a second JSON-LD processor, expands the JSON-LD. Each
reads the sample build and a build of an article written here full of
characters writers get wrong (quotes, backslashes, control characters,
line separators, astral and combining characters) without a warning, and
gives the same triples, graph by graph, as rdflib reads from the same file.
Skipped, with the reason, where a tool is absent; `.ci/run` installs them.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
from rdflib import Dataset, Graph
from rdflib.compare import to_canonical_graph
from typer.testing import CliRunner

from kg.cli import app

# Written for these tests: a headline and sentences that carry what RDF writers must escape.
AWKWARD = (
    'The "Iraq" \\ drawdown: \'quotes\' """triple""" <angle> & {brace} tab\there'
    " \u2028 line\u2029 sep \x85 next \x07 bell \x1b[31m escape \x7f delete"
    " \U0001f1ee\U0001f1f6 flag e\u0301 \u200f rtl \ufeff end\n\n"
    "BAGHDAD (Reuters) - The United States said on Monday it would bring home 1,900"
    ' soldiers from Iraq, "a \\"big\\" step".\n'
    "President Donald Trump met Iraqi Prime Minister Mustafa al-Kadhimi in August 2020"
    " at the White House.\n"
    "Troops left Al Asad Airbase in January 2020 \u2014 the base\u2019s commander"
    " said\x0b\x0c so.\n"
)
SYNTAXES = {"graph.ttl": "turtle", "graph.trig": "trig", "graph.nq": "nquads"}
RAPPER = shutil.which("rapper")
SERDI = shutil.which("serdi")


@pytest.fixture(scope="module")
def awkward_build(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("awkward")
    (folder / "in").mkdir()
    (folder / "in" / "awkward.txt").write_text(AWKWARD, encoding="utf-8")
    out = folder / "out"
    formats = "ttl,trig,nq,jsonld"
    result = CliRunner().invoke(
        app, ["build", str(folder / "in"), "--out", str(out), "--format", formats]
    )
    assert result.exit_code == 0, result.output
    return out


@pytest.fixture(params=["sample", "awkward"])
def build(request: pytest.FixtureRequest) -> Path:
    return request.getfixturevalue(f"{request.param}_build")


def canonical(text: str | bytes, syntax: str) -> dict[str, frozenset[tuple[Any, ...]]]:
    """Each graph's triples, blank nodes relabelled canonically, by graph name."""
    dataset = Dataset()
    dataset.parse(data=text, format=syntax)
    return {
        str(graph.identifier): frozenset(to_canonical_graph(graph))
        for graph in dataset.graphs()
        if len(graph)
    }


def read_by(command: list[str], file: Path) -> dict[str, frozenset[tuple[Any, ...]]]:
    """What a command-line parser writes as N-Quads from `file`, having said nothing on stderr."""
    done = subprocess.run([*command, str(file)], capture_output=True, timeout=120)
    assert (done.returncode, done.stderr.decode()) == (0, ""), f"{command[0]} on {file.name}"
    return canonical(done.stdout, "nquads")


@pytest.mark.skipif(
    RAPPER is None, reason="Raptor's rapper is not installed (Debian raptor2-utils)"
)
@pytest.mark.parametrize("name", SYNTAXES)
def test_parsers_raptor_reads_what_rdflib_reads(build, name):
    file = build / name
    rapper = [str(RAPPER), "--quiet", "-i", SYNTAXES[name], "-o", "nquads"]
    assert read_by(rapper, file) == canonical(file.read_bytes(), SYNTAXES[name])


@pytest.mark.skipif(SERDI is None, reason="Serd's serdi is not installed (Debian serdi)")
@pytest.mark.parametrize("name", SYNTAXES)
def test_parsers_serd_reads_what_rdflib_reads(build, name):
    file = build / name
    serdi = [str(SERDI), "-i", SYNTAXES[name], "-o", "nquads"]  # -q would hide its warnings
    assert read_by(serdi, file) == canonical(file.read_bytes(), SYNTAXES[name])


def test_parsers_pyld_expands_the_jsonld_to_the_turtle_triples(build):
    jsonld = pytest.importorskip("pyld.jsonld", reason="pyld is not installed (the test extra)")

    def offline(url: str, options: object = None) -> object:
        raise AssertionError(f"the JSON-LD made pyld fetch {url}")

    document = json.loads((build / "graph.jsonld").read_text(encoding="utf-8"))
    quads = jsonld.to_rdf(document, {"format": "application/n-quads", "documentLoader": offline})
    expanded = canonical(quads, "nquads")
    assert expanded == canonical((build / "graph.jsonld").read_bytes(), "json-ld")
    assert set(expanded.values()) == {
        frozenset(to_canonical_graph(Graph().parse(build / "graph.ttl")))
    }
