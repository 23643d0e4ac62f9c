"""A deterministic corpus of news-like articles for benchmarks.

Articles are assembled from sentence templates about troop movements,
attacks, meetings and troop levels, filled from large pools of people,
countries, bases, figures and dates, with everyday filler between them so
that their length (about 600 words) and mix resemble wire copy. The same
seed always writes the same files.

    python benchmarks/corpus.py --articles 1000 --out /tmp/corpus
"""

from __future__ import annotations

import argparse
import random
from datetime import date, timedelta
from pathlib import Path

FIRST_NAMES = (
    "James Maria Ahmed Olga Chen Fatima Pierre Ingrid Kwame Sofia Hassan Elena Tomas Aisha "
    "Daniel Yusuf Hiro Leila Marco Nadia Pavel Amara Luis Mei Omar Greta Ibrahim Clara Rafael "
    "Zainab Anders Lucia Karim Hanna Mateo Samira Viktor Rosa Tariq Ines Jonas Layla Felix Noor"
).split()
LAST_NAMES = (
    "Hartley Okafor Lindqvist Moreau Haddad Petrova Nakamura Alvarez Kowalski Mensah Rahimi "
    "Castellano Weber Dubois Nasser Ivanova Tanaka Fischer Osei Romano Bakr Jensen Novak Silva "
    "Qureshi Bergstrom Ferreira Kaplan Aziz Holm Marchetti Danso Farouk Lund Moretti Sato Yilmaz "
    "Brennan Carvalho Eriksen Hamdan Ortega Vasquez Whitfield Zoric Abbasi Keller Lambert Rossi"
).split()
COUNTRIES = (
    "Iraq Syria Jordan Kuwait Qatar Turkey Germany Poland Romania Niger Mali Somalia Kenya "
    "Djibouti Afghanistan Pakistan Lebanon Estonia Latvia Lithuania Norway Japan Bahrain Oman"
).split()
FORCES = ("United States", "France", "Britain", "Germany", "Italy", "Turkey", "Spain", "Canada")
DEMONYMS = {
    "United States": "US",
    "France": "French",
    "Britain": "British",
    "Germany": "German",
    "Italy": "Italian",
    "Turkey": "Turkish",
    "Spain": "Spanish",
    "Canada": "Canadian",
}
BASE_NAMES = (
    "Falcon Cedar Harmony Liberty Redwood Sentinel Granite Horizon Summit Anchor Pioneer Ridge "
    "Meridian Eagle Sparrow Juniper Orchid Bastion Beacon Citadel Frontier Lantern Mariner Phoenix"
).split()
BASE_KINDS = ("Camp {}", "{} Air Base", "Fort {}", "{} Airfield")
TITLES = ("Defence Minister", "Foreign Minister", "General", "Prime Minister", "spokesman")
MONTHS = (
    "January February March April May June July August September October November December"
).split()

EVENT_SENTENCES = (
    "{force} will withdraw {n} troops from {country} by {month}, {person} said.",
    "The withdrawal of {demonym} troops from {base} in {country} began on {weekday}.",
    "{force} plans to cut its force in {country} from about {n} to {m} troops.",
    "There are currently around {n} {demonym} troops in {country}, according to {person}.",
    "{title} {person} met {other} in {capital} on {weekday} to discuss security.",
    "Militants attacked {base} near {city} in {country} last week.",
    "{force} deployed {n} soldiers to {country} in {month}.",
    "{person}, the {title} of {country}, announced a new security agreement with {force}.",
    "A drone strike killed {other} near {city} in {month}, officials said.",
    "{force} and {country} signed a defence pact in {capital} in {year}.",
)
FILLER = (
    "Markets in the region were calm on the news, traders said.",
    "The talks had been delayed twice because of bad weather and scheduling problems.",
    "Local officials said the situation remained tense but under control.",
    "Analysts said the decision had been expected for several months.",
    "The move drew criticism from opposition lawmakers, who called it premature.",
    "Residents described long queues at fuel stations and rising food prices.",
    "The ministry did not respond to a request for comment on Tuesday.",
    "Several aid groups warned that funding for refugees was running short.",
    "A spokesman declined to give further details, citing operational security.",
    "The parliament is expected to debate the issue again after the holidays.",
    "Diplomats described the meeting as frank and constructive.",
    "Critics say the policy has done little to improve security on the ground.",
)
WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday")
WORDS_PER_ARTICLE = 600
EVENT_SHARE = 0.2  # of sentences; the sample articles state about one event in five sentences


def _person(rng: random.Random) -> str:
    return f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}"


def _base(rng: random.Random) -> str:
    return rng.choice(BASE_KINDS).format(rng.choice(BASE_NAMES))


def _sentence(rng: random.Random) -> str:
    force = rng.choice(FORCES)
    country = rng.choice(COUNTRIES)
    n = rng.randrange(2, 120) * 100
    return rng.choice(EVENT_SENTENCES).format(
        force=force,
        demonym=DEMONYMS[force],
        country=country,
        base=_base(rng),
        person=_person(rng),
        other=_person(rng),
        title=rng.choice(TITLES),
        n=f"{n:,}",
        m=f"{rng.randrange(1, n // 100) * 100:,}",
        month=rng.choice(MONTHS),
        weekday=rng.choice(WEEKDAYS),
        year=rng.randrange(2001, 2024),
        capital=f"the capital of {country}",
        city=f"{rng.choice(BASE_NAMES)}ville",
    )


def article_text(index: int, seed: int = 0) -> str:
    """One article: a headline, a date line and paragraphs of news and filler."""
    rng = random.Random(f"{seed}:{index}")
    published = date(2015, 1, 1) + timedelta(days=rng.randrange(0, 3650))
    lines = [f"Title: {_sentence(rng).rstrip('.')}", f"Date: {published.isoformat()}", ""]
    words = 0
    while words < WORDS_PER_ARTICLE:
        paragraph = " ".join(
            _sentence(rng) if rng.random() < EVENT_SHARE else rng.choice(FILLER)
            for _ in range(rng.randrange(2, 5))
        )
        lines.extend([paragraph, ""])
        words += len(paragraph.split())
    return "\n".join(lines)


def write_corpus(folder: Path, articles: int, seed: int = 0) -> list[Path]:
    """Write `articles` files into `folder`; the same seed writes the same bytes."""
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for index in range(articles):
        path = folder / f"bench_{index:06d}.txt"
        path.write_text(article_text(index, seed), encoding="utf-8")
        paths.append(path)
    return paths


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--out", type=Path, required=True)
    args = parser.parse_args()
    paths = write_corpus(args.out, args.articles, args.seed)
    print(f"wrote {len(paths)} articles to {args.out}")


if __name__ == "__main__":
    main()
