"""Sessions: ``nox -s docs`` builds the book, ``nox -s tests`` runs the test suite."""

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
