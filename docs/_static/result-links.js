// Give every labelled result (theorem, lemma, definition, ...) a "#" link to its own
// address, like Sphinx's section headings, so readers can copy a stable link to cite.
document.addEventListener("DOMContentLoaded", () => {
  for (const result of document.querySelectorAll("div.proof[id]")) {
    const title = result.querySelector(":scope > .admonition-title");
    if (!title || result.id === "proof" || /^[a-z]+-\d+$/.test(result.id)) {
      continue; // proofs and unlabelled results have no stable id
    }
    const link = document.createElement("a");
    link.className = "headerlink";
    link.href = "#" + result.id;
    link.title = "Link to this result";
    link.textContent = "#";
    title.appendChild(link);
  }
});
