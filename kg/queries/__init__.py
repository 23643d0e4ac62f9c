"""SPARQL queries shipped with newskg, one question per `.rq` file (see `kg.query.library`)."""
