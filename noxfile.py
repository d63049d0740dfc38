"""Sessions: ``nox -s docs`` builds the book, ``nox -s tests`` runs the test suite, and
``nox -s mutation`` checks that the tests and the book catch known-wrong gradient formulas."""

import re
import tomllib
from pathlib import Path

import nox

nox.options.sessions = ["tests", "docs"]
nox.options.reuse_existing_virtualenvs = False

DOCS_OUTPUT = "docs/_build/html"


@nox.session
def tests(session):
    """Run pytest against an editable install of the package."""
    session.install("-e", ".[tests]")
    session.run("pytest", *session.posargs)


@nox.session
def docs(session):
    """Build the book into docs/_build/html, executing every notebook cell against src/.

    Warnings are errors, and --keep-going reports every failing page before the build
    stops. A cell that raises turns into a warning that names the page, so it fails the
    build; its traceback is printed in the log.
    """
    session.install("-e", ".[docs]")
    session.run(
        "sphinx-build",
        "-b",
        "html",
        "-n",
        "-W",
        "--keep-going",
        "docs",
        DOCS_OUTPUT,
        *session.posargs,
    )
    session.log(f"The book is at {DOCS_OUTPUT}/index.html")



def _requirement_name(requirement):
    """Return the distribution name of a requirement such as ``"matplotlib>=3.8"``."""
    return re.split(r"[<>=!~;\[ ]", requirement, maxsplit=1)[0]


@nox.session
def mutation(session):
    """Plant each known-wrong formula of tools/mutation.py in a copy of the package.

    The test suite and the book's code cells run against every mutant, and the session
    fails unless each mutant makes at least one of them fail. gradproof itself is not
    installed here, so that PYTHONPATH selects the mutated copy; matplotlib and
    scikit-learn come from the docs extra because the book's cells use them.
    """
    project = tomllib.loads(Path("pyproject.toml").read_text())["project"]
    extras = project["optional-dependencies"]
    book = [r for r in extras["docs"] if _requirement_name(r) in ("matplotlib", "scikit-learn")]
    session.install(*project["dependencies"], *extras["tests"], *book)
    session.run("python", "tools/mutation.py", *session.posargs)
