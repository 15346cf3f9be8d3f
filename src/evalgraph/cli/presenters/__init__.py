"""Rendering of the commands' results on the terminal (rich tables and text): commands parse options and call the
capabilities; these modules show what came back."""
