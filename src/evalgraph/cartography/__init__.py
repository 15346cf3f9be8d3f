"""The cartography of evaluation types: the report (tables, charts) and the inferred graph."""
