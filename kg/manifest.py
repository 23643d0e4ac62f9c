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
VERSION = 1


@dataclass
class Manifest:
    """What the store and the last build's outputs hold, and from which inputs."""

    settings: str = ""  # a digest of the build's settings and code
    inputs: dict[str, str] = field(default_factory=dict)  # input path → digest of its bytes
    graphs: dict[str, str] = field(default_factory=dict)  # graph IRI → digest of its quads
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
                graphs={str(k): str(v) for k, v in data["graphs"].items()},
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
            "graphs": dict(sorted(self.graphs.items())),
            "outputs": dict(sorted(self.outputs.items())),
        }
        atomic_write_bytes(path, json.dumps(data, indent=1).encode("utf-8"))
