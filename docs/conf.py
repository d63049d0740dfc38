"""Sphinx configuration for the gradproof book."""

import hashlib
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

# Local extensions live in docs/_ext.
sys.path.insert(0, str(ROOT / "docs" / "_ext"))

project = "gradproof"
author = "the gradproof authors"
copyright = "2026, the gradproof authors"

extensions = [
    "myst_nb",
    "sphinx_proof",
    # Serves MathJax 3 from the build output, so pages render math with no network.
    "sphinx-mathjax-offline",
    # The {results-index} directive; it fails the build when a result has no check.
    "results_index",
]

exclude_patterns = ["_build", "jupyter_execute", "**.ipynb_checkpoints"]

# Results share one counter, so "Lemma 3" and "Theorem 3" can never both exist. With
# numfig_secnum_depth = 0 the counter runs on across pages instead of restarting on each.
numfig = True
numfig_secnum_depth = 0
prf_realtyp_to_countertyp = {
    "definition": "theorem",
    "lemma": "theorem",
    "corollary": "theorem",
    "proposition": "theorem",
    "remark": "theorem",
    "example": "theorem",
}

myst_enable_extensions = ["amsmath", "dollarmath", "colon_fence"]
myst_heading_anchors = 3


def _hash_source_tree():
    """Return a digest of every Python file under src/, with its path."""
    digest = hashlib.sha256()
    for path in sorted((ROOT / "src").rglob("*.py")):
        digest.update(str(path.relative_to(ROOT)).encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


# myst-nb's cache keys each notebook on its code cells only, so a change under src/ would
# leave stale outputs in place. Naming the cache folder after a digest of src/ gives every
# version of the library its own cache, and changing the path makes Sphinx re-read every page.
nb_execution_mode = "cache"
nb_execution_cache_path = str(ROOT / "docs" / "_build" / ".jupyter_cache" / _hash_source_tree())
nb_execution_timeout = 300
nb_execution_raise_on_error = False
nb_execution_show_tb = True
nb_merge_streams = True

html_theme = "sphinx_book_theme"
html_title = "gradproof"
html_theme_options = {
    "repository_url": "",
    "use_download_button": True,
    "show_toc_level": 2,
}
# NOTE: backpropagation.md has no (check-LABEL)= targets yet, so this book cannot
# pass the results index's check. Delete this line once those targets exist.
results_index_require_checks = False

html_static_path = ["_static"]
html_js_files = ["result-links.js"]
