"""Mutation testing: plant known-wrong gradient formulas and require the checks to catch each.

Usage (``nox -s mutation`` runs the first form in an environment with the test and book
dependencies but without gradproof installed, so that PYTHONPATH picks the copy):

    python tools/mutation.py              # every mutant against the tests and the book
    python tools/mutation.py book         # the book's check cells against src/ only

For each mutant the package under ``src/gradproof`` is copied into a temporary folder
and one exact string of one file is replaced; the string must occur exactly once, so a
change to the source that moves it stops the run with a message instead of testing
nothing. Then the test suite (``pytest -x``) and the code cells of every book page
(in the order of the toctree in ``docs/index.md``) run against the copy, through
``PYTHONPATH``. The unchanged copy runs first and must pass both. The run prints a table
of the mutants with the first failing test and the first failing page and cell, ends with
``caught K of N mutants``, and exits with status 1 unless K equals N.
"""

import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "src" / "gradproof"
DOCS = ROOT / "docs"
TIMEOUT_SECONDS = 900


@dataclass(frozen=True)
class Mutant:
    """A known-wrong formula: ``old`` replaced by ``new`` in ``file`` (relative to the package)."""

    name: str
    file: str
    old: str
    new: str


MUTANTS = [
    Mutant(
        "output activation's derivative dropped on the chain route",
        "network.py",
        "dZ[L] = self.g[L].backward(dA[L], cache.Z[L])",
        "dZ[L] = dA[L]",
    ),
    Mutant(
        "output activation's derivative applied again on the combined route",
        "network.py",
        "dZ[L] = self.loss.logit_gradient_unchecked(cache.Z[L], Y)",
        "dZ[L] = self.g[L].backward(self.loss.logit_gradient_unchecked(cache.Z[L], Y), cache.Z[L])",
    ),
    Mutant(
        "sign of dZ_L flipped",
        "network.py",
        "dZ[L] = self.loss.logit_gradient_unchecked(cache.Z[L], Y)",
        "dZ[L] = -self.loss.logit_gradient_unchecked(cache.Z[L], Y)",
    ),
    Mutant(
        "1/m applied twice in dZ_L",
        "_loss_base.py",
        "return self.logit_gradient_unscaled(Z, Y) / m",
        "return self.logit_gradient_unscaled(Z, Y) / m**2",
    ),
    Mutant(
        "1/m applied again in dW",
        "network.py",
        "dW[l] = dZ[l] @ cache.A[l - 1].T",
        "dW[l] = dZ[l] @ cache.A[l - 1].T / m",
    ),
    Mutant(
        "db summed over the wrong axis",
        "network.py",
        "db[l] = np.sum(dZ[l], axis=1, keepdims=True)",
        "db[l] = np.sum(dZ[l], axis=0, keepdims=True)",
    ),
    Mutant(
        "db summed without keepdims",
        "network.py",
        "db[l] = np.sum(dZ[l], axis=1, keepdims=True)",
        "db[l] = np.sum(dZ[l], axis=1)",
    ),
    Mutant(
        "softmax backward done elementwise as s(1 - s)",
        "softmax.py",
        "return S * (dA - np.sum(S * dA, axis=0, keepdims=True))",
        "return dA * S * (1.0 - S)",
    ),
    Mutant(
        "W where W.T belongs: dA_prev = W @ dZ",
        "network.py",
        "dA[l - 1] = W[l].T @ dZ[l]",
        "dA[l - 1] = W[l] @ dZ[l]",
    ),
    Mutant(
        "dW transposed: A_prev @ dZ.T",
        "network.py",
        "dW[l] = dZ[l] @ cache.A[l - 1].T",
        "dW[l] = cache.A[l - 1] @ dZ[l].T",
    ),
    Mutant(
        "ReLU slope 1 on the negative side",
        "activations.py",
        "return (Z.real > 0).astype(np.float64)",
        "return (Z.real > -np.inf).astype(np.float64)",
    ),
    Mutant(
        "leaky ReLU slope 0 on the negative side",
        "activations.py",
        "return np.where(Z.real > 0, 1.0, slope)",
        "return np.where(Z.real > 0, 1.0, 0.0)",
    ),
    Mutant(
        "tanh' computed as 1 - tanh",
        "activations.py",
        "return 4.0 * E / (1.0 + E) ** 2",
        "return 2.0 * E / (1.0 + E)",
    ),
    Mutant(
        "sigmoid' computed as sigmoid(-|z|)",
        "activations.py",
        "return E / (1.0 + E) ** 2",
        "return E / (1.0 + E)",
    ),
    Mutant(
        "weight decay gradient without 1/m",
        "network.py",
        "dW[l] = dW[l] + (self.weight_decay / m) * W[l]",
        "dW[l] = dW[l] + self.weight_decay * W[l]",
    ),
    Mutant(
        "oracle: central difference divided by h, not 2h",
        "oracles.py",
        "gradient[index] = (f_plus - f_minus) / (2.0 * h)",
        "gradient[index] = (f_plus - f_minus) / h",
    ),
    Mutant(
        "oracle: batched central difference divided by h, not 2h",
        "_perturbed.py",
        "numerical = (J_plus - J_minus) / (2.0 * h)",
        "numerical = (J_plus - J_minus) / h",
    ),
]


# ---------------------------------------------------------------- the book's code cells


def book_pages():
    """Return the pages of the toctree in docs/index.md, in order, as paths."""
    text = (DOCS / "index.md").read_text()
    block = re.search(r"```\{toctree\}\n(.*?)```", text, re.S)
    if block is None:
        raise SystemExit("docs/index.md has no toctree; cannot tell which pages to run.")
    names = [line.strip() for line in block.group(1).splitlines()]
    return [DOCS / f"{name}.md" for name in names if name and not name.startswith(":")]


def code_cells(path):
    """Return ``(first line number, source)`` of each ``{code-cell}`` in a MyST page."""
    cells, lines, index = [], path.read_text().splitlines(), 0
    while index < len(lines):
        opening = re.match(r"^(`{3,})\{code-cell\}", lines[index])
        index += 1
        if not opening:
            continue
        fence, body = opening.group(1), []
        while index < len(lines) and lines[index].strip() != fence:
            body.append(lines[index])
            index += 1
        start = index - len(body) + 1
        index += 1
        if body and body[0].strip() == "---":  # a YAML block of options
            end = body.index("---", 1)
            body, start = body[end + 1:], start + end + 1
        while body and body[0].startswith(":"):  # short options such as :tags:
            body, start = body[1:], start + 1
        cells.append((start, "\n".join(body)))
    return cells


def run_page(path):
    """Execute a page's code cells in one namespace; exit 1 naming the cell that raised."""
    import types
    import traceback

    glue_stub = types.ModuleType("myst_nb")
    glue_stub.glue = lambda *args, **kwargs: None
    sys.modules["myst_nb"] = glue_stub
    namespace = {"__name__": "__main__"}
    for number, (line, source) in enumerate(code_cells(path), start=1):
        try:
            exec(compile(source, f"{path.name}, cell {number} (line {line})", "exec"), namespace)
        except Exception:  # noqa: BLE001 - any failure of a check cell is the verdict
            traceback.print_exc()
            print(f"BOOK FAILURE {path.name} cell {number} (line {line})")
            raise SystemExit(1)
        finally:
            if "matplotlib.pyplot" in sys.modules:
                sys.modules["matplotlib.pyplot"].close("all")


def environment(source):
    env = dict(os.environ, PYTHONPATH=str(source), MPLBACKEND="Agg", PYTHONHASHSEED="0")
    env.pop("PYTHONSTARTUP", None)
    return env


def check_import_location(source):
    """Stop unless ``import gradproof`` under ``PYTHONPATH=source`` finds the copy in ``source``."""
    found = subprocess.run(
        [sys.executable, "-c", "import gradproof; print(gradproof.__file__)"],
        env=environment(source), cwd=ROOT, capture_output=True, text=True, check=False,
    ).stdout.strip()
    if not found.startswith(str(source)):
        raise SystemExit(
            f"import gradproof found {found or 'nothing'}, not the copy in {source}. Run this "
            "in an environment where gradproof is not installed (nox -s mutation does so)."
        )


def first_book_failure(source):
    """Return ``"page, cell N (line L)"`` for the first failing cell, or ``None``."""
    for page in book_pages():
        result = subprocess.run(
            [sys.executable, str(Path(__file__).resolve()), "_page", str(page)],
            env=environment(source), cwd=DOCS, capture_output=True, text=True,
            timeout=TIMEOUT_SECONDS, check=False,
        )
        if result.returncode != 0:
            marker = re.search(r"^BOOK FAILURE (.*)$", result.stdout, re.M)
            return marker.group(1) if marker else f"{page.name} ({_last_line(result.stderr)})"
    return None


def first_test_failure(source):
    """Return the id of the first failing test, or ``None`` if the suite passes."""
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "-x", "-q", "-rfE", "-p", "no:cacheprovider", "tests"],
        env=environment(source), cwd=ROOT, capture_output=True, text=True,
        timeout=TIMEOUT_SECONDS, check=False,
    )
    if result.returncode == 0:
        return None
    marker = re.search(r"^(?:FAILED|ERROR) (\S+)", result.stdout, re.M)
    return marker.group(1) if marker else f"pytest exit {result.returncode}: {_last_line(result.stdout)}"


def _last_line(text):
    lines = [line for line in text.strip().splitlines() if line.strip()]
    return lines[-1][:100] if lines else "no output"


# ---------------------------------------------------------------- mutants


def planted_copy(folder, mutant=None):
    """Copy the package into ``folder/gradproof`` and plant ``mutant``; return ``folder``."""
    shutil.copytree(PACKAGE, folder / "gradproof", ignore=shutil.ignore_patterns("__pycache__"))
    if mutant is not None:
        target = folder / "gradproof" / mutant.file
        text = target.read_text()
        target.write_text(text.replace(mutant.old, mutant.new))
    return folder


def check_mutants_apply():
    """Stop unless every mutant's ``old`` string occurs exactly once in its file."""
    problems = []
    for mutant in MUTANTS:
        count = (PACKAGE / mutant.file).read_text().count(mutant.old)
        if count != 1:
            problems.append(f"  {mutant.name}: {mutant.old!r} occurs {count} times in {mutant.file}")
    if problems:
        raise SystemExit(
            "The source has changed under these mutants; update MUTANTS in tools/mutation.py:\n"
            + "\n".join(problems)
        )


def evaluate(folder):
    check_import_location(folder)
    return first_test_failure(folder), first_book_failure(folder)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("command", nargs="?", default="mutants", choices=["mutants", "book", "_page"])
    parser.add_argument("page", nargs="?")
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 2)
    arguments = parser.parse_args(argv)

    if arguments.command == "_page":
        run_page(Path(arguments.page))
        return 0
    if arguments.command == "book":
        failure = first_book_failure(ROOT / "src")
        print(f"book check cells: {'all pass' if failure is None else 'FAILED at ' + failure}")
        return 0 if failure is None else 1

    check_mutants_apply()
    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="gradproof-mutants-") as temporary:
        temporary = Path(temporary)
        baseline = evaluate(planted_copy(temporary / "baseline"))
        if baseline != (None, None):
            print(f"The unmutated copy fails (tests: {baseline[0]}, book: {baseline[1]}); "
                  "fix that before testing mutants.")
            return 2
        folders = [planted_copy(temporary / f"mutant-{k}", mutant) for k, mutant in enumerate(MUTANTS)]
        with ThreadPoolExecutor(max_workers=max(1, arguments.jobs)) as pool:
            results = list(pool.map(evaluate, folders))

    width = max(len(mutant.name) for mutant in MUTANTS)
    test_width = max(len(test or "NOT CAUGHT") for test, _ in results)
    print(f"\n{'mutant':{width}s}  {'first failing test':{test_width}s}  first failing book cell")
    caught = 0
    for mutant, (test, page) in zip(MUTANTS, results):
        caught += test is not None or page is not None
        print(f"{mutant.name:{width}s}  {test or 'NOT CAUGHT':{test_width}s}  {page or 'NOT CAUGHT'}")
    print(f"\n({time.perf_counter() - started:.0f} s)")
    print(f"caught {caught} of {len(MUTANTS)} mutants")
    return 0 if caught == len(MUTANTS) else 1


if __name__ == "__main__":
    sys.exit(main())
