"""The parts of `kg.validate`: the SHACL engine, what the shapes read, and reading a store.

`kg.validate` is the public face (`validate_graph`, `validate_union`,
`validate_store`); these modules are its parts: `shapes` (the shapes and the
ontology's class tree, read once), `needs` (which triples the shapes read
around a focus node), `engine` (the Rust engine and its results as
`Violation`s), `split` (the shapes split into the checks of a class-checked
value and the rest), `parts` (a store's union cut by subject, each result
made in one part), `extract` (some of a store's graphs cut into chunks with what their
checks read), `report` (the report types) and `terms` (Oxigraph's, the
engine's and rdflib's terms).
"""
