"""Cited data and reproducible analyses of citizen participation in Peru's OGP action plans.

The package is laid out in the order of the flow; each layer imports only from the
layers before it (``tests/test_layers.py`` enforces this):

- base: ``paths``, ``problems`` (located errors), ``labels`` (shared vocabulary),
  ``outputs`` (atomic, deterministic writing);
- ``raw``: load and validate the cited raw package;
- ``clean``: clean and reconcile into ``data/processed``;
- ``questions``: shares, survival, evolution, bodies;
- ``report``: figures, findings in words, the brief;
- ``run``: parameters and the Papermill pipeline.
"""

import os as _os
from pathlib import Path as _Path

__version__ = "0.1.0"

# Matplotlib keeps its font cache in its configuration folder (~/.cache/matplotlib unless
# MPLCONFIGDIR says otherwise). The runner, its kernels, nbval and the tests all import this
# package before matplotlib, so the cache goes inside the repository (.cache/, ignored by
# git) and nothing they do is written outside the repository and the temporary folder.
_os.environ.setdefault("MPLCONFIGDIR", str(_Path(__file__).resolve().parents[2] / ".cache" / "matplotlib"))
