"""Tests of the book's results_index extension, on small fixture books built in tmp_path.

Each fixture book uses myst-parser, sphinx-proof and the extension, and is built with
``-n -W`` like the real book. The tests are skipped when Sphinx is not installed.
"""

import sys
import textwrap
from pathlib import Path
from types import SimpleNamespace

import pytest

pytest.importorskip("sphinx")
pytest.importorskip("sphinx_proof")
pytest.importorskip("myst_parser")

from sphinx.cmd.build import build_main  # noqa: E402

# sphinx-proof 0.4 reads env.app, which Sphinx 9 deprecates. The warning comes from
# sphinx-proof, not from the extension under test.
pytestmark = pytest.mark.filterwarnings(
    "ignore:'sphinx.environment.BuildEnvironment.app' is deprecated"
    ":sphinx.deprecation.RemovedInSphinx11Warning"
)

EXTENSION_DIR = Path(__file__).resolve().parent.parent / "docs" / "_ext"

CONF = f"""
import sys
sys.path.insert(0, {str(EXTENSION_DIR)!r})
extensions = ["myst_parser", "sphinx_proof", "results_index"]
myst_enable_extensions = ["colon_fence", "dollarmath"]
numfig = True
numfig_secnum_depth = 0
prf_realtyp_to_countertyp = {{"lemma": "theorem", "definition": "theorem"}}
exclude_patterns = ["_build"]
"""

INDEX = """
# Fixture book

```{toctree}
:numbered:
algebra
calculus
results
```
"""

ALGEBRA = """
# Algebra

:::{prf:definition} A square is a number times itself
:label: def-square

The square of $x$ is $x \\cdot x$.
:::

(check-def-square)=
The check of the definition.

:::{prf:theorem} Squares are at least zero
:label: thm-square-nonnegative

For every real $x$, $x^2 \\ge 0$.
:::

:::{prf:proof}
Both factors have the same sign.
:::

(check-thm-square-nonnegative)=
The check of the theorem.
"""

CALCULUS = """
# Calculus

:::{prf:lemma} The derivative of $x^2$ is $2x$
:label: lem-Derivative

It is.
:::

(check-lem-Derivative)=
The check of the lemma.
"""

RESULTS = """
# Results

```{results-index}
```
"""


def write_book(root, pages, conf_extra=""):
    """Write a fixture book with the given pages (name -> MyST text) into root."""
    root.mkdir(parents=True, exist_ok=True)
    (root / "conf.py").write_text(CONF + conf_extra)
    for name, text in pages.items():
        (root / f"{name}.md").write_text(textwrap.dedent(text))
    return root


def default_pages(**changes):
    pages = {
        "index": INDEX,
        "algebra": ALGEBRA,
        "calculus": CALCULUS,
        "results": RESULTS,
    }
    pages.update(changes)
    return pages


def build(source, *options):
    """Build the book with -n -W and return (exit status, output directory)."""
    output = source / "_build" / "html"
    status = build_main(
        ["-b", "html", "-n", "-W", "-q", *options, str(source), str(output)]
    )
    return status, output


def index_rows(output):
    """Return the HTML of each body row of the results table."""
    html = (output / "results.html").read_text()
    body = html.split("<tbody>")[1].split("</tbody>")[0]
    return body.split("</tr>")[:-1]


def test_index_build_succeeds(tmp_path):
    source = write_book(tmp_path / "book", default_pages())
    status, _ = build(source)
    assert status == 0


def test_index_rows_in_toctree_order(tmp_path):
    source = write_book(tmp_path / "book", default_pages())
    _, output = build(source)
    rows = index_rows(output)
    labels = [row.split('href="')[1].split('"')[0] for row in rows]
    assert labels == [
        "algebra.html#def-square",
        "algebra.html#thm-square-nonnegative",
        "calculus.html#lem-Derivative",
    ]


def test_index_row_links_result_number(tmp_path):
    source = write_book(tmp_path / "book", default_pages())
    _, output = build(source)
    row = index_rows(output)[1]
    assert "Theorem 2" in row


def test_index_row_has_title(tmp_path):
    source = write_book(tmp_path / "book", default_pages())
    _, output = build(source)
    row = index_rows(output)[1]
    assert "Squares are at least zero" in row


def test_index_row_keeps_title_math(tmp_path):
    source = write_book(tmp_path / "book", default_pages())
    _, output = build(source)
    row = index_rows(output)[2]
    assert '<span class="math notranslate nohighlight">' in row


def test_index_row_links_check(tmp_path):
    source = write_book(tmp_path / "book", default_pages())
    _, output = build(source)
    row = index_rows(output)[2]
    assert 'href="calculus.html#check-lem-derivative"' in row


def test_check_anchor_exists_on_page(tmp_path):
    source = write_book(tmp_path / "book", default_pages())
    _, output = build(source)
    html = (output / "calculus.html").read_text()
    assert 'id="check-lem-derivative"' in html


def test_unlabelled_result_not_listed(tmp_path):
    extra = "\n:::{prf:remark}\nNo label.\n:::\n\n:::{prf:theorem} Free\nNo label.\n:::\n"
    source = write_book(
        tmp_path / "book", default_pages(calculus=CALCULUS + extra)
    )
    status, output = build(source)
    assert status == 0
    assert len(index_rows(output)) == 3


def test_missing_check_fails_build(tmp_path, capsys):
    calculus = CALCULUS.replace("(check-lem-Derivative)=\n", "")
    source = write_book(tmp_path / "book", default_pages(calculus=calculus))
    status, _ = build(source)
    assert status != 0


def test_missing_check_names_result(tmp_path, capsys):
    calculus = CALCULUS.replace("(check-lem-Derivative)=\n", "")
    source = write_book(tmp_path / "book", default_pages(calculus=calculus))
    build(source)
    assert "lemma 'lem-Derivative'" in capsys.readouterr().err


def test_missing_check_fails_without_w(tmp_path):
    calculus = CALCULUS.replace("(check-lem-Derivative)=\n", "")
    source = write_book(tmp_path / "book", default_pages(calculus=calculus))
    output = source / "_build" / "html"
    status = build_main(["-b", "html", "-q", str(source), str(output)])
    assert status != 0


def test_missing_check_fails_on_rebuild(tmp_path):
    calculus = CALCULUS.replace("(check-lem-Derivative)=\n", "")
    source = write_book(tmp_path / "book", default_pages(calculus=calculus))
    build(source)
    status, _ = build(source)
    assert status != 0


def test_check_before_result_fails(tmp_path, capsys):
    calculus = CALCULUS.replace("(check-lem-Derivative)=\n", "")
    calculus = calculus.replace(
        ":::{prf:lemma}", "(check-lem-Derivative)=\nEarly.\n\n:::{prf:lemma}"
    )
    source = write_book(tmp_path / "book", default_pages(calculus=calculus))
    status, _ = build(source)
    assert status != 0
    assert "comes before lemma 'lem-Derivative'" in capsys.readouterr().err


def test_check_naming_no_result_fails(tmp_path, capsys):
    calculus = CALCULUS + "\n(check-lem-typo)=\nA stray target.\n"
    source = write_book(tmp_path / "book", default_pages(calculus=calculus))
    status, _ = build(source)
    assert status != 0
    assert "check-lem-typo" in capsys.readouterr().err


def test_optional_checks_allow_missing(tmp_path):
    calculus = CALCULUS.replace("(check-lem-Derivative)=\n", "")
    source = write_book(
        tmp_path / "book",
        default_pages(calculus=calculus),
        conf_extra="results_index_require_checks = False\n",
    )
    status, output = build(source)
    assert status == 0
    assert "<em>no check</em>" in index_rows(output)[2]


def test_merge_keeps_both_processes(tmp_path):
    # A parallel build (-j) cannot be run here: sphinx-proof 0.4's domain does not
    # implement merge_domaindata, so Sphinx rejects it. This calls the merge step
    # that Sphinx runs after each reading process instead.
    sys.path.insert(0, str(EXTENSION_DIR))
    try:
        import results_index
    finally:
        sys.path.remove(str(EXTENSION_DIR))
    main = SimpleNamespace(
        results_index_entries={"a": {"results": [], "checks": {}}},
        results_index_pages=set(),
    )
    worker = SimpleNamespace(
        results_index_entries={"b": {"results": [], "checks": {}}},
        results_index_pages={"b"},
    )
    results_index.merge_pages(None, main, {"b"}, worker)
    assert sorted(main.results_index_entries) == ["a", "b"]
    assert main.results_index_pages == {"b"}
