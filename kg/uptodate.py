"""Whether a build has anything to do, decided before anything heavy is loaded.

A build records in its store's manifest a digest of every input file's
bytes, a digest of its settings (the pipeline, newskg's own code and data,
the base IRI, the formats, the curation file) and the size and time of
each file it wrote. When all three match, `kg build` stops there: nothing
to parse, resolve or write, and neither spaCy nor rdflib is imported. When
only some inputs changed, the others need not even be read: the manifest
also records where the cache keeps each one's extraction (`kept_extractions`).
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping, Sequence
from pathlib import Path

from kg.cache import Cached, CacheEntry, ExtractionCache, build_fingerprint
from kg.decoded import DecodedPack
from kg.heap import no_cycle_collection
from kg.ingest import discover_articles
from kg.layout import Format
from kg.manifest import MANIFEST, Manifest


def input_digests(paths: Sequence[Path]) -> dict[str, str]:
    """Each input file's article name → a digest of its bytes (unreadable files are left out)."""
    files, _ = discover_articles(paths)
    digests = {}
    for file in files:
        try:
            digests[file.name] = hashlib.sha256(file.path.read_bytes()).hexdigest()
        except OSError:
            continue
    return digests


def curation_digest(path: Path | None) -> str:
    """A digest of the curation file's bytes; '' for none.

    Raises:
        OSError: the file cannot be read.
    """
    return hashlib.sha256(path.read_bytes()).hexdigest() if path is not None else ""


def build_settings(
    model: str,
    base_iri: str,
    formats: Sequence[Format],
    *,
    validate: bool,
    consensus: int,
    curation: str = "",
) -> str:
    """A digest of what, besides the articles, decides a build's files (`curation`: the
    curation file's `curation_digest`)."""
    parts = [
        build_fingerprint(model),
        base_iri,
        ",".join(sorted(formats)),
        f"validate={validate}",
        f"consensus={consensus}",
    ]
    if curation:  # a build without one keeps the settings, and so the manifest, it had
        parts.append(f"curation={curation}")
    return hashlib.sha256("|".join(parts).encode("utf-8")).hexdigest()


def unchanged(inputs: Mapping[str, str], settings: str, out_dir: Path, store_dir: Path) -> bool:
    """Whether the last build into `out_dir` read exactly these inputs with these settings and
    its files are still there as it wrote them: then there is nothing to do."""
    manifest = Manifest.read(store_dir / MANIFEST)
    if not manifest.outputs or manifest.settings != settings or manifest.inputs != inputs:
        return False
    return all(
        (out_dir / name).is_file() and file_stamp(out_dir / name) == stamp
        for name, stamp in manifest.outputs.items()
    )


def kept_extractions(
    inputs: Mapping[str, str], settings: str, store_dir: Path, cache: ExtractionCache
) -> dict[str, Cached]:
    """The extraction of each input file whose bytes the last build, with these settings, read
    and extracted (or found in `cache`): such a file needs no reading now.

    A file whose entry is no longer in `cache` as it was is left out, to be read again.
    The extraction itself is taken from its copy beside the store (`kg.decoded`) when
    there is one: four times faster than decoding the entry.
    """
    manifest = Manifest.read(store_dir / MANIFEST)
    if manifest.settings != settings:
        return {}
    kept = {}
    pack = DecodedPack(store_dir)
    # Records, hundreds of thousands and no cycles: the collector's walks over everything
    # alive as they are made took a quarter of the time (two fifths with a pipeline loaded).
    with no_cycle_collection():
        for name, (digest, key, entry_digest) in manifest.extractions.items():
            if inputs.get(name) != digest:
                continue
            entry = CacheEntry(key, entry_digest)
            decoded = pack.get(entry) if cache.entry_bytes(entry) is not None else None
            found = Cached(decoded, entry) if decoded is not None else cache.kept(entry)
            if found is not None and found.extraction.article.source_file == name:
                kept[name] = found
    pack.close()
    return kept


def record_inputs(
    manifest: Manifest,
    inputs: Mapping[str, str],
    settings: str,
    entries: Mapping[str, CacheEntry],
) -> None:
    """Remember what this build read and where it keeps each file's extraction (`entries`,
    by article name), for the next one's `unchanged` and `kept_extractions`."""
    manifest.inputs = dict(inputs)
    manifest.settings = settings
    manifest.extractions = {
        name: [inputs[name], entry.key, entry.digest]
        for name, entry in entries.items()
        if name in inputs
    }


def file_stamp(path: Path) -> list[int]:
    """What tells a file the build wrote from one changed since: its size and time."""
    stat = path.stat()
    return [stat.st_size, stat.st_mtime_ns]
