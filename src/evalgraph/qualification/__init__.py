"""Qualification: the decision graph run on a technology's facts, and its export."""
