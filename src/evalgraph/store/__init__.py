"""The store and its SPARQL plumbing: the embedded Oxigraph store, result formats, the built-in datasets, named queries, and the SPARQL guard (canonical form, checks on the parsed algebra)."""
