"""Technology dossiers: reading (Turtle, JSON-LD, YAML) with limits, SHACL validation, reports, the versioned dossier store, and validation worker processes."""
