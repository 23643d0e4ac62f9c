"""The analyst's curation: decisions about names that survive every rebuild.

A curation file (Turtle, `curation.ttl` by default) holds what an analyst
decided over the automatic rules: two names are one entity (`owl:sameAs`),
a form is a different entity from the one it was joined to
(`owl:differentFrom`), a form is no entity at all (`kg:NotAnEntity`), an
entity's label or class is given. Each name stands in a node of its own,
`[ kg:named "Victoria Base" ]`, and may be a label, any alias, or an IRI
(`id:base/…` or in full).

A build applies the file around resolution, the same way every time: a
rejected form's mentions are dropped before `kg.resolve.resolve` sees them;
splits, joins, classes and labels then reshape its `Resolution`, before
events and roles are resolved, so these point at the curated entities. A
decision whose names the build no longer holds is reported, and stays in
the file.
"""

from kg.curation.apply import CurationReport, curate
from kg.curation.file import (
    KINDS,
    Curation,
    CurationError,
    Decision,
    DecisionKind,
    read_curation,
    write_curation,
)

__all__ = [
    "KINDS",
    "Curation",
    "CurationError",
    "CurationReport",
    "Decision",
    "DecisionKind",
    "curate",
    "read_curation",
    "write_curation",
]
