"""A real headless Chromium for the graph page, with the network cut off.

The browser is Debian's `chromium` (installed by .ci/run), driven through
Playwright with `executable_path`; Playwright's own browser downloads are
never used. Without /usr/bin/chromium the browser tests are skipped.

Also here: `wide_build`, a build of the sample and wide articles (17) for
the checks of what the page shows at first sight, and `synthetic_graph`, a
seeded generator of large news-like graphs for the 5,000-node checks.
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from rdflib import Graph, Literal, Namespace, URIRef
from rdflib.namespace import OWL, PROV, RDF, RDFS, SKOS
from typer.testing import CliRunner

from kg.cli import app
from kg.defaults import DEFAULT_BASE_IRI
from kg.namespaces import KG, SCHEMA, WD

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--no-first-run",
]
VIEWPORT = {"width": 1400, "height": 900}
# A selector, not a JavaScript predicate: Playwright polls predicates with
# eval(), which the page's Content-Security-Policy rightly refuses.
READY = "body[data-ready='true']"
LOAD_TIMEOUT_MS = 60_000
ACTION_TIMEOUT_MS = 10_000

ID = Namespace(DEFAULT_BASE_IRI)
XSD = Namespace("http://www.w3.org/2001/XMLSchema#")


@dataclass
class LoadedPage:
    """A page opened from disk, with everything it tried that it should not have."""

    page: Any  # playwright.sync_api.Page
    errors: list[str] = field(default_factory=list)
    network: list[str] = field(default_factory=list)
    seconds: float = 0.0

    def js(self, expression: str, arg: Any = None) -> Any:
        return self.page.evaluate(expression, arg)

    def drawn_nodes(self) -> int:
        return int(self.js("kgView.network.body.nodeIndices.length"))

    def drawn_edges(self) -> int:
        return int(self.js("kgView.network.body.edgeIndices.length"))

    def drawn_kinds(self) -> set[str]:
        return set(self.js("kgView.network.body.nodeIndices.map(id => kgView.data.nodes[id].kind)"))

    def in_network(self) -> int:
        """The nodes the page opens on: all but articles and the entities only they name."""
        return int(
            self.js("kgView.data.nodes.filter(n => n.kind !== 'Article' && !n.namedOnly).length")
        )

    def panel(self) -> str:
        return str(self.page.inner_text("#kg-panel"))


@pytest.fixture(scope="session")
def browser(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    """Chromium with a fresh profile, offline, refusing every request that is not file://."""
    if not CHROMIUM.exists():
        pytest.skip(f"{CHROMIUM} is not installed (apt-get install chromium; .ci/run does)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        context = playwright.chromium.launch_persistent_context(
            tmp_path_factory.mktemp("chromium-profile"),
            executable_path=str(CHROMIUM),
            args=CHROMIUM_FLAGS,
            headless=True,
            offline=True,
            viewport=VIEWPORT,
            device_scale_factor=1,
        )
        context.set_default_timeout(ACTION_TIMEOUT_MS)
        context.route(
            "**/*",
            lambda route: (
                route.continue_()
                if route.request.url.startswith("file:")
                else route.abort("blockedbyclient")
            ),
        )
        try:
            yield context
        finally:
            context.close()


@pytest.fixture
def open_page(browser: Any) -> Iterator[Callable[[Path], LoadedPage]]:
    """Open an HTML file and wait until the graph is drawn; closes the pages afterwards."""
    pages: list[Any] = []

    def load(path: Path) -> LoadedPage:
        page = browser.new_page()
        pages.append(page)
        loaded = LoadedPage(page)
        page.on(
            "console",
            lambda message: (
                loaded.errors.append(message.text) if message.type in ("error", "warning") else None
            ),
        )
        page.on("pageerror", lambda error: loaded.errors.append(str(error)))
        page.on(
            "request",
            lambda request: (
                None if request.url.startswith("file:") else loaded.network.append(request.url)
            ),
        )
        started = time.perf_counter()
        page.goto(path.resolve().as_uri())
        page.wait_for_selector(READY, state="attached", timeout=LOAD_TIMEOUT_MS)
        loaded.seconds = time.perf_counter() - started
        return loaded

    yield load
    for page in pages:
        page.close()


# --- the sample and wide articles together -------------------------------------------------

ROOT = Path(__file__).resolve().parents[2]
# The wide evaluation texts live beside the clone (in CI too), never in it.
WIDE_ARTICLES = ROOT.parent / "shared" / "eval" / "wide" / "articles"


@pytest.fixture(scope="session")
def wide_build(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """`kg build` over the sample articles and the wide ones (17 articles), once per session."""
    if not WIDE_ARTICLES.is_dir():
        pytest.skip(f"{WIDE_ARTICLES} is not there: the wide articles sit beside the clone")
    out = tmp_path_factory.mktemp("wide-build")
    paths = [str(ROOT / "articles"), str(WIDE_ARTICLES)]
    result = CliRunner().invoke(app, ["build", *paths, "--out", str(out), "--no-validate"])
    assert result.exit_code == 0, result.output
    return out


# --- a large synthetic graph ----------------------------------------------------------------


@pytest.fixture(scope="session")
def make_graph() -> Callable[[int], Graph]:
    """The seeded generator of large news-like graphs (`synthetic_graph`)."""
    return synthetic_graph


_ENTITY_KINDS = (
    (KG.Person, "person", 40),
    (KG.Organization, "organization", 25),
    (KG.Place, "place", 20),
    (KG.Country, "country", 10),
    (KG.MilitaryBase, "base", 5),
)
_EVENT_TYPES = (
    KG.Withdrawal,
    KG.Deployment,
    KG.Attack,
    KG.Killing,
    KG.Meeting,
    KG.Agreement,
    KG.Statement,
    KG.Handover,
    KG.Invasion,
    KG.TroopPresence,
)


def synthetic_graph(nodes: int, *, seed: int = 7) -> Graph:
    """A news-like graph with exactly `nodes` drawn nodes: 5% articles, 35% events, 60% entities.

    A few entities are in most events (power law), as the United States and
    Iraq are in the sample; the first country is "Iraq", so searches work
    as on the sample. The same arguments give the same graph.
    """
    rng = random.Random(seed)
    g = Graph()
    articles = [_add_article(g, i, rng) for i in range(max(1, nodes // 20))]
    events_count = nodes * 35 // 100
    entities = [
        _add_entity(g, i, rng, articles) for i in range(nodes - len(articles) - events_count)
    ]
    for i in range(events_count):
        _add_event(g, i, rng, entities, articles)
    return g


def _add_article(g: Graph, i: int, rng: random.Random) -> URIRef:
    article = ID[f"article/{i:05d}"]
    g.add((article, RDF.type, KG.Article))
    g.add((article, SCHEMA.headline, Literal(f"Report {i}: troops and talks")))
    day = f"{rng.randint(2003, 2021)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
    g.add((article, SCHEMA.datePublished, Literal(day, datatype=XSD.date)))
    g.add((article, SCHEMA.url, Literal(f"https://news.example/{i}")))
    g.add((article, KG.sourceFile, Literal(f"{i:05d}.txt")))
    return article


def _add_entity(g: Graph, i: int, rng: random.Random, articles: list[URIRef]) -> URIRef:
    cls, folder, _ = rng.choices(_ENTITY_KINDS, weights=[k[2] for k in _ENTITY_KINDS])[0]
    if i == 0:
        cls, folder = KG.Country, "country"
    name = "Iraq" if i == 0 else f"{folder.title()} {i:05d}"
    entity = ID[f"{folder}/{i:05d}"]
    g.add((entity, RDF.type, cls))
    g.add((entity, RDFS.label, Literal(name)))
    if i == 0 or rng.random() < 0.3:
        g.add((entity, SKOS.altLabel, Literal(f"Republic of {name}" if i == 0 else f"E{i}")))
    if rng.random() < 0.2:
        g.add((entity, OWL.sameAs, WD[f"Q{1000 + i}"]))
    for article in rng.sample(articles, min(len(articles), rng.randint(1, 2))):
        g.add((entity, KG.mentionedIn, article))
    return entity


def _pick(rng: random.Random, items: list[URIRef]) -> URIRef:
    """Mostly the first few: news keeps naming the same few countries."""
    return items[int(len(items) * rng.random() ** 3)]


def _add_event(
    g: Graph, i: int, rng: random.Random, entities: list[URIRef], articles: list[URIRef]
) -> None:
    event = ID[f"event/{i:05d}"]
    g.add((event, RDF.type, rng.choice(_EVENT_TYPES)))
    agent, place = _pick(rng, entities), _pick(rng, entities)
    g.add((event, RDFS.label, Literal(f"Event {i}")))
    g.add((event, KG.agent, agent))
    g.add((event, KG.location, place))
    g.add((event, KG.date, Literal(f"{rng.randint(2003, 2021)}", datatype=XSD.gYear)))
    g.add((event, KG.troopsBefore, Literal(rng.randint(1, 60) * 100)))
    g.add((event, KG.evidence, Literal(f"Sentence {i} about {agent} in {place}.")))
    for article in rng.sample(articles, min(len(articles), rng.randint(1, 2))):
        g.add((event, PROV.wasDerivedFrom, article))
