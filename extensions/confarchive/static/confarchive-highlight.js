// Highlight the words a search matched on the page it opened (?highlight=...).
const params = new URLSearchParams(window.location.search);
if (params.has("highlight") && window.location.protocol !== "file:") {
  const root = document.documentElement.dataset.content_root || "./";
  const bundle = new URL(`${root}pagefind/`, window.location.href);
  import(new URL("pagefind-highlight.js", bundle).href)
    .then(() => new window.PagefindHighlight({ highlightParam: "highlight" }))
    .catch(() => {});
}
