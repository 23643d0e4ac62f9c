"""The manifest of a build's store: what it holds, from which inputs, with which settings.

Kept apart from the store itself (`kg.buildstore`) so that deciding whether
a build has anything to do reads one small JSON file and imports nothing
heavy.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

from kg.atomic import atomic_write_bytes

MANIFEST = "manifest.json"
FORMAT = "newskg-build-manifest"
VERSION = 3


@dataclass
class Manifest:
    """What the store and the last build's outputs hold, and from which inputs."""

    settings: str = ""  # a digest of the build's settings and code
    inputs: dict[str, str] = field(default_factory=dict)  # input path → digest of its bytes
    # input path → [digest of the bytes it was read from, its extraction's cache key, the
    # digest of that cache entry]: what spares the next build reading an unchanged file
    extractions: dict[str, list[str]] = field(default_factory=dict)
    graphs: dict[str, str] = field(default_factory=dict)  # graph IRI → digest of its quads
    sizes: dict[str, int] = field(default_factory=dict)  # graph IRI → how many quads it holds
    # graph IRI → digest of the records it was made from (`kg.chunks.records_digest`)
    sources: dict[str, str] = field(default_factory=dict)
    outputs: dict[str, list[int]] = field(default_factory=dict)  # file name → [size, mtime_ns]

    @classmethod
    def read(cls, path: Path) -> Manifest:
        """The manifest at `path`; an empty one when absent or unreadable (all is rebuilt)."""
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return cls()
        if not isinstance(data, dict) or (data.get("format"), data.get("version")) != (
            FORMAT,
            VERSION,
        ):
            return cls()
        try:
            return cls(
                settings=str(data["settings"]),
                inputs={str(k): str(v) for k, v in data["inputs"].items()},
                extractions={str(k): _record(v) for k, v in data["extractions"].items()},
                graphs={str(k): str(v) for k, v in data["graphs"].items()},
                sizes={str(k): int(v) for k, v in data["sizes"].items()},
                sources={str(k): str(v) for k, v in data["sources"].items()},
                outputs={str(k): [int(n) for n in v] for k, v in data["outputs"].items()},
            )
        except (KeyError, TypeError, ValueError, AttributeError):
            return cls()

    def write(self, path: Path) -> None:
        data = {
            "format": FORMAT,
            "version": VERSION,
            "settings": self.settings,
            "inputs": dict(sorted(self.inputs.items())),
            "extractions": dict(sorted(self.extractions.items())),
            "graphs": dict(sorted(self.graphs.items())),
            "sizes": dict(sorted(self.sizes.items())),
            "sources": dict(sorted(self.sources.items())),
            "outputs": dict(sorted(self.outputs.items())),
        }
        atomic_write_bytes(path, json.dumps(data, indent=1).encode("utf-8"))


def _record(value: object) -> list[str]:
    """An entry of `Manifest.extractions`: three strings."""
    if not isinstance(value, list) or len(value) != 3:
        raise ValueError(f"not an extraction record: {value!r:.80}")
    return [str(part) for part in value]
