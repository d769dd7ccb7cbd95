"""The ``spacemarket`` command line: one module per subcommand, each only parsing arguments and
calling the library; :mod:`.app` builds the parser and maps errors to exit codes."""

from spacemarket.experiments.cli.app import build_parser, guarded, main

__all__ = ["build_parser", "guarded", "main"]
