"""The ontology: consistency with HermiT, and its bilingual documentation page."""
