"""The web service: the FastAPI app, the SPARQL 1.1 Protocol, query workers, the dossier API, tokens."""
