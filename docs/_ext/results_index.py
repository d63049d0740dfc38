"""Sphinx extension: an index of every labelled result and the cell that checks it.

Each labelled sphinx-proof result (definition, lemma, theorem, proposition or
corollary) with label ``L`` must be followed, on the same page, by a target named
``check-L``, which in MyST is the line ``(check-L)=`` just before the check cell. The
directive ``results-index`` renders a table of every such result in toctree order:
a link to the result, its title, and a link to its check.

While reading, each page records its results and check targets in the build
environment. After reading, every result without a check target is logged as an error
at the result's line and the build's exit status is set to 1, with or without ``-W``,
unless ``results_index_require_checks`` is ``False``. A check target that comes before
its result, or names no result on its page, is an error too.
"""

import re

from docutils import nodes
from docutils.parsers.rst import Directive
from sphinx import addnodes
from sphinx.transforms.post_transforms import SphinxPostTransform
from sphinx.util import logging

logger = logging.getLogger(__name__)

RESULT_TYPES = ("definition", "lemma", "theorem", "proposition", "corollary")
CHECK_PREFIX = "check-"
ENV_ATTRIBUTE = "results_index_entries"
PAGES_ATTRIBUTE = "results_index_pages"


class results_index(nodes.General, nodes.Element):
    """Placeholder for the table, replaced once every page has been read."""


class ResultsIndexDirective(Directive):
    """Insert the table of results; the directive takes no arguments or content."""

    has_content = False

    def run(self):
        return [results_index("")]


def _is_labelled(node):
    # sphinx-proof names an unlabelled result "<type>-<serial number>".
    return not re.fullmatch(rf"{node['realtype']}-\d+", node["label"])


def _strip_title(node, title_format):
    """Return copies of the title's inline nodes with the format's " (" and ")" removed."""
    children = [child.deepcopy() for child in node[0].children]
    prefix, _, suffix = title_format.partition("%t")
    if children and isinstance(children[0], nodes.Text):
        text = str(children[0])
        if text.startswith(prefix):
            children[0] = nodes.Text(text[len(prefix):])
    if children and isinstance(children[-1], nodes.Text):
        text = str(children[-1])
        if suffix and text.endswith(suffix):
            children[-1] = nodes.Text(text[: -len(suffix)])
    return children


def collect_results(app, doctree):
    """Record the page's labelled results and check targets, in document order."""
    env = app.env
    results, checks = [], {}
    position = 0
    for node in doctree.findall(nodes.Element):
        position += 1
        if node.get("realtype") in RESULT_TYPES and "label" in node:
            if _is_labelled(node):
                results.append(
                    {
                        "label": node["label"],
                        "realtype": node["realtype"],
                        "countertype": node["countertype"],
                        "title": _strip_title(node, app.config.proof_title_format),
                        "line": node.line,
                        "position": position,
                    }
                )
        # docutils moves a target's names to the element that follows it.
        for name in node.get("names", ()):
            if name.startswith(CHECK_PREFIX):
                checks[name] = {"position": position, "line": node.line}

    entries = getattr(env, ENV_ATTRIBUTE, {})
    entries[env.docname] = {"results": results, "checks": checks}
    setattr(env, ENV_ATTRIBUTE, entries)

    if any(isinstance(node, results_index) for node in doctree.findall(results_index)):
        pages = getattr(env, PAGES_ATTRIBUTE, set())
        pages.add(env.docname)
        setattr(env, PAGES_ATTRIBUTE, pages)


def purge_page(app, env, docname):
    getattr(env, ENV_ATTRIBUTE, {}).pop(docname, None)
    getattr(env, PAGES_ATTRIBUTE, set()).discard(docname)


def merge_pages(app, env, docnames, other):
    entries = getattr(env, ENV_ATTRIBUTE, {})
    pages = getattr(env, PAGES_ATTRIBUTE, set())
    other_entries = getattr(other, ENV_ATTRIBUTE, {})
    other_pages = getattr(other, PAGES_ATTRIBUTE, set())
    for docname in docnames:
        if docname in other_entries:
            entries[docname] = other_entries[docname]
        if docname in other_pages:
            pages.add(docname)
    setattr(env, ENV_ATTRIBUTE, entries)
    setattr(env, PAGES_ATTRIBUTE, pages)


def rewrite_index_pages(app, env, added, changed, removed):
    """Mark the pages that hold the table as outdated whenever any page changes."""
    if added or changed or removed:
        return sorted(getattr(env, PAGES_ATTRIBUTE, set()) - set(removed))
    return []


def check_name(label):
    """Return the normalised target name ``check-LABEL``, as docutils stores it."""
    return nodes.fully_normalize_name(CHECK_PREFIX + label)


def find_problems(env):
    """Return ``(docname, line, message)`` for each result without a check after it."""
    problems = []
    for docname, entry in sorted(getattr(env, ENV_ATTRIBUTE, {}).items()):
        source = env.doc2path(docname)
        labels = set()
        for result in entry["results"]:
            name = check_name(result["label"])
            labels.add(name)
            check = entry["checks"].get(name)
            if check is None:
                problems.append(
                    (docname, result["line"],
                     f"{result['realtype']} '{result['label']}' in {source} has no "
                     f"check target; put the line ({CHECK_PREFIX}{result['label']})= "
                     "just before the cell that checks it.")
                )
            elif check["position"] < result["position"]:
                problems.append(
                    (docname, check["line"],
                     f"the target ({name})= in {source} comes before "
                     f"{result['realtype']} '{result['label']}'; move it after the "
                     "result, just before its check cell.")
                )
        for name, check in sorted(entry["checks"].items()):
            if name not in labels:
                problems.append(
                    (docname, check["line"],
                     f"the target ({name})= in {source} names no labelled result on "
                     "that page; fix the label after 'check-' or remove the target.")
                )
    return problems


def enforce_checks(app, env):
    """Log every problem with the check targets as an error and fail the build."""
    app.results_index_checked = True
    problems = find_problems(env)
    if not problems:
        return
    if not app.config.results_index_require_checks:
        logger.info(
            f"results index: {len(problems)} results lack a check target "
            "(results_index_require_checks is False)."
        )
        return
    for docname, line, message in problems:
        logger.error(message, location=(docname, line))
    app.statuscode = 1


def enforce_checks_on_unchanged_build(app, exception):
    # Sphinx skips env-check-consistency when no page changed, so a rebuild after a
    # failed build would otherwise pass without checking.
    if exception is None and not getattr(app, "results_index_checked", False):
        enforce_checks(app, app.env)


def toctree_order(env):
    """Return every page with results, in the order a reader meets them."""
    order, seen = [], set()

    def visit(docname):
        if docname in seen:
            return
        seen.add(docname)
        order.append(docname)
        for child in env.toctree_includes.get(docname, ()):
            visit(child)

    visit(env.config.root_doc)
    entries = getattr(env, ENV_ATTRIBUTE, {})
    order += sorted(set(entries) - seen)
    return [docname for docname in order if docname in entries]


def _paragraph(*children):
    return nodes.paragraph("", "", *children)


def _result_reference(result):
    reference = addnodes.pending_xref(
        "",
        nodes.inline(result["label"], result["label"]),
        refdomain="prf",
        reftype="ref",
        reftarget=result["label"],
        refexplicit=False,
        refwarn=True,
    )
    return reference


def _check_reference(docname, result, env):
    entry = getattr(env, ENV_ATTRIBUTE, {})[docname]
    if check_name(result["label"]) not in entry["checks"]:
        return nodes.emphasis("", "no check")
    return addnodes.pending_xref(
        "",
        nodes.inline("check", "check"),
        refdomain="std",
        reftype="ref",
        reftarget=check_name(result["label"]),
        refexplicit=True,
        refwarn=True,
    )


def build_table(env, fromdocname):
    """Return a three-column table: result, statement, check."""
    table = nodes.table(classes=["results-index"])
    group = nodes.tgroup(cols=3)
    table += group
    for width in (2, 7, 1):
        group += nodes.colspec(colwidth=width)

    head = nodes.thead()
    header_row = nodes.row()
    for heading in ("Result", "Statement", "Check"):
        header_row += nodes.entry("", _paragraph(nodes.Text(heading)))
    head += header_row
    group += head

    body = nodes.tbody()
    for docname in toctree_order(env):
        for result in getattr(env, ENV_ATTRIBUTE, {})[docname]["results"]:
            row = nodes.row()
            for cell in (
                _result_reference(result),
                [child.deepcopy() for child in result["title"]],
                _check_reference(docname, result, env),
            ):
                children = cell if isinstance(cell, list) else [cell]
                for child in children:
                    child.document = None
                row += nodes.entry("", _paragraph(*children))
            for xref in row.findall(addnodes.pending_xref):
                xref["refdoc"] = fromdocname
            body += row
    group += body
    return table


class ResultsIndexTransform(SphinxPostTransform):
    """Replace each placeholder with the table before cross-references are resolved."""

    default_priority = 5  # ReferencesResolver runs at 10.

    def run(self, **kwargs):
        for placeholder in list(self.document.findall(results_index)):
            table = build_table(self.env, self.env.docname)
            placeholder.replace_self(table)


def setup(app):
    app.add_config_value("results_index_require_checks", True, "env", types=[bool])
    app.add_node(results_index)
    app.add_directive("results-index", ResultsIndexDirective)
    app.add_post_transform(ResultsIndexTransform)
    app.connect("doctree-read", collect_results)
    app.connect("env-purge-doc", purge_page)
    app.connect("env-merge-info", merge_pages)
    app.connect("env-get-outdated", rewrite_index_pages)
    app.connect("env-check-consistency", enforce_checks)
    app.connect("build-finished", enforce_checks_on_unchanged_build)
    return {
        "version": "0.1",
        "parallel_read_safe": True,
        "parallel_write_safe": True,
    }
