"""Shared command line of the experiment scripts (not part of the installed package)."""

from __future__ import annotations

import argparse


def parser(description: str, out: str, seeds: int) -> argparse.ArgumentParser:
    """``--out``, ``--seeds``, ``--workers``, ``--steps`` and ``--quiet``."""
    p = argparse.ArgumentParser(description=description)
    p.add_argument("--out", default=out, help="output directory (default %(default)s)")
    p.add_argument("--seeds", type=int, default=seeds, help="seeds per profile")
    p.add_argument("--workers", type=int, default=None, help="processes (default: CPUs)")
    p.add_argument("--steps", type=int, default=None, help="quarters per run (default: all)")
    p.add_argument("--quiet", action="store_true", help="no progress bar, no summary")
    return p
