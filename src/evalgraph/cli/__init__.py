"""The command-line interface (``evalgraph``)."""

from evalgraph.cli.commands import main

__all__ = ["main"]
