// confarchive's search page: Pagefind in the browser, a result per talk, filters with counts.
// Everything that comes from the index is written as text (textContent), never as HTML;
// excerpts keep only Pagefind's <mark> elements.

const FILTERS = [
  ["event", "Event"],
  ["speaker", "Speaker"],
  ["year", "Year"],
  ["tag", "Tag"],
  ["author", "Author"],
  ["coverage", "Program talks"],
];
const PAGE_SIZE = 10;
// how strongly a match in a talk's speakers counts, against 5 for a title (Pagefind's default)
const SPEAKER_WEIGHT = 10;
const SHOWN_VALUES = 12;

const page = document.getElementById("confarchive-search");
const form = page.querySelector("form");
const input = page.querySelector("#confarchive-search-query");
const status = page.querySelector(".confarchive-search-status");
const list = page.querySelector(".confarchive-results");
const filtersBox = page.querySelector(".confarchive-search-filters");
const more = page.querySelector(".confarchive-more");
const root = new URL(document.documentElement.dataset.content_root || "./", window.location.href);

let pagefind = null;
// The filter index is loaded when it is asked for: it holds every record's event,
// speaker, year, tag and author, several times the bytes of a query (540 kB of a
// 21,715-talk archive), so a plain search does not fetch it.
let filtersLoaded = false;
let state = readState();
let results = [];
let shown = 0;
let run = 0;

function readState() {
  const params = new URLSearchParams(window.location.search);
  const filters = {};
  for (const [name] of FILTERS) {
    const values = params.getAll(name).filter(Boolean);
    if (values.length) filters[name] = values;
  }
  return { query: (params.get("q") || "").trim(), filters };
}

function writeState() {
  const params = new URLSearchParams();
  if (state.query) params.set("q", state.query);
  for (const [name, values] of Object.entries(state.filters)) {
    for (const value of values) params.append(name, value);
  }
  const query = params.toString();
  window.history.replaceState(null, "", query ? `?${query}` : window.location.pathname);
}

function say(text) {
  status.textContent = text;
}

function element(tag, className, text) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}

// Pagefind's excerpt is HTML: keep its text and its <mark>s, nothing else.
function excerptNode(html) {
  const box = element("p", "confarchive-result-excerpt");
  const parsed = new DOMParser().parseFromString(`<p>${html}</p>`, "text/html").body.firstChild;
  for (const child of parsed ? parsed.childNodes : []) {
    if (child.nodeType === Node.TEXT_NODE) box.append(child.textContent);
    else if (child.nodeName === "MARK") box.append(element("mark", "", child.textContent));
    else box.append(child.textContent || "");
  }
  return box;
}

function queryWords() {
  return state.query.replace(/"/g, " ").toLowerCase().split(/\s+/).filter(Boolean);
}

function resultItem(data) {
  const meta = data.meta || {};
  const item = element("li", `confarchive-result confarchive-result-${meta.kind || "page"}`);
  const title = element("a", "confarchive-result-title", meta.title || data.url);
  // Sphinx's sphinx_highlight.js marks these words on the page the link opens
  const target = new URL(data.url, window.location.href);
  if (queryWords().length) target.searchParams.set("highlight", queryWords().join(" "));
  title.href = target.href;
  const heading = element("p", "confarchive-result-heading");
  heading.append(title);
  item.append(heading);
  const details = [];
  if (meta.kind === "talk") {
    details.push("Talk" + (meta.speakers ? " by " + meta.speakers : ""));
    if (meta.event) details.push(meta.event);
    details.push("in “" + meta.post + "”" + (meta.date ? ", " + meta.date : ""));
  } else if (meta.kind === "program") {
    details.push("In the program" + (meta.speakers ? ", by " + meta.speakers : ""));
    if (meta.event) details.push(meta.event);
    if (meta.date) details.push(meta.date + (meta.room ? ", " + meta.room : ""));
  } else if (meta.kind === "post") {
    details.push("Post" + (meta.authors ? " by " + meta.authors : ""));
    if (meta.event) details.push(meta.event);
    if (meta.date) details.push(meta.date);
  }
  if (details.length) item.append(element("p", "confarchive-result-meta", details.join(" · ")));
  if (data.excerpt) item.append(excerptNode(data.excerpt));
  return item;
}

async function showMore() {
  const mine = run;
  const slice = results.slice(shown, shown + PAGE_SIZE);
  const loaded = await Promise.all(slice.map((result) => result.data()));
  if (mine !== run) return;
  for (const data of loaded) list.append(resultItem(data));
  shown += slice.length;
  more.hidden = shown >= results.length;
}

// Before the filter index is loaded, the filters' place holds a button that loads it.
function offerFilters() {
  const offer = element("button", "confarchive-filters-offer", "Filter these results");
  offer.type = "button";
  offer.setAttribute("aria-describedby", "confarchive-filters-offer-help");
  const help = element("p", "confarchive-filters-offer-help", "by event, speaker, year, tag, author or coverage");
  help.id = "confarchive-filters-offer-help";
  offer.addEventListener("click", async () => {
    page.dataset.searchState = "searching";
    await loadFilters();
    await search();
    // the button is gone: focus goes to the first filter
    const first = filtersBox.querySelector("input[type=checkbox]");
    if (first) first.focus();
  });
  filtersBox.replaceChildren(offer, help);
}

async function loadFilters() {
  if (filtersLoaded) return;
  await pagefind.filters(); // loads the filter index, so results come with counts
  filtersLoaded = true;
}

function renderFilters(counts) {
  // Ticking a box re-renders the filters: the box that had keyboard focus gets it back,
  // or focus would fall to the top of the page.
  const focused = filtersBox.contains(document.activeElement) ? document.activeElement : null;
  const refocus = focused && focused.type === "checkbox" ? [focused.name, focused.value] : null;
  filtersBox.replaceChildren();
  for (const [name, label] of FILTERS) {
    const selected = new Set(state.filters[name] || []);
    const values = Object.entries({ ...Object.fromEntries([...selected].map((value) => [value, 0])),
      ...(counts[name] || {}) })
      .filter(([value, count]) => count > 0 || selected.has(value))
      .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
    if (!values.length) continue;
    const group = element("fieldset", "confarchive-filter");
    group.dataset.filter = name;
    group.append(element("legend", "", label));
    values.forEach(([value, count], index) => {
      const row = element("label", "confarchive-filter-value");
      if (index >= SHOWN_VALUES && !selected.has(value)) row.hidden = true;
      const box = element("input");
      box.type = "checkbox";
      box.name = name;
      box.value = value;
      box.checked = selected.has(value);
      box.addEventListener("change", () => {
        const chosen = new Set(state.filters[name] || []);
        if (box.checked) chosen.add(value);
        else chosen.delete(value);
        if (chosen.size) state.filters[name] = [...chosen];
        else delete state.filters[name];
        search();
      });
      row.append(box, element("span", "confarchive-filter-name", value),
        element("span", "confarchive-filter-count", String(count)));
      group.append(row);
    });
    if (values.length > SHOWN_VALUES) {
      const all = element("button", "confarchive-filter-all", `Show all ${values.length}`);
      all.type = "button";
      all.addEventListener("click", () => {
        const rows = [...group.querySelectorAll("label[hidden]")];
        rows.forEach((row) => { row.hidden = false; });
        all.remove();
        // the button is gone: focus goes to the first value it showed
        if (rows.length) rows[0].querySelector("input").focus();
      });
      group.append(all);
    }
    filtersBox.append(group);
  }
  if (refocus) {
    const again = [...filtersBox.querySelectorAll("input[type=checkbox]")]
      .find((box) => box.name === refocus[0] && box.value === refocus[1]);
    if (again) again.focus();
  }
}

function pagefindFilters(without) {
  const filters = {};
  for (const [name, values] of Object.entries(state.filters)) {
    if (name !== without) filters[name] = { any: values };
  }
  return filters;
}

// Pagefind counts each filter's values among the results as they are, so the values a
// ticked filter does not hold count 0. A filter with ticked values is counted, instead,
// among the results of the other filters: what ticking one more value would add to the union.
async function filterCounts(found) {
  const counts = { ...(found.filters || {}) };
  for (const name of Object.keys(state.filters)) {
    const wider = await pagefind.search(state.query || null, { filters: pagefindFilters(name) });
    if (wider) counts[name] = wider.filters[name] || {};
  }
  return counts;
}

// Pagefind scores every result of a quoted phrase alike: they come in the index's order,
// newest first. The same words unquoted score by how often, and how densely, a record
// holds them; phrase results take that order.
async function byRelevance(found) {
  if (!state.query.includes('"') || found.results.length < 2) return found.results;
  const loose = await pagefind.search(state.query.replace(/"/g, " "), { filters: pagefindFilters() });
  const score = new Map((loose ? loose.results : []).map((result) => [result.id, result.score]));
  return [...found.results].sort((a, b) => (score.get(b.id) || 0) - (score.get(a.id) || 0));
}

function fold(text) {
  return text.normalize("NFKD").replace(/[\u0300-\u036f]/g, "").toLowerCase();
}

function sharedStart(a, b) {
  let n = 0;
  while (n < a.length && n < b.length && a[n] === b[n]) n += 1;
  return n;
}

// A word the index does not hold is shortened by Pagefind until something starts like it:
// "zzzqqq" finds every "z". The same word quoted is not shortened: if it finds nothing,
// the word is a typo, which keeps its results while the words found share four letters
// with it ("kuberntes" finds "KubeCon"), and otherwise matched nothing. The words found
// are read from the best result, already loaded to be shown; a phrase is not shortened.
async function reallyMatches(best) {
  if (!state.query || state.query.includes('"')) return true;
  const typos = [];
  for (const term of queryWords()) {
    const exact = await pagefind.search(`"${term}"`);
    if (!exact || !exact.results.length) typos.push(fold(term).replace(/[^\p{L}\p{N}]+/gu, ""));
  }
  if (!typos.filter(Boolean).length) return true;
  const data = await best.data();
  const content = (data.content || "").split(/\s+/);
  // a match in the metadata (a talk's speakers, its event) has no place in the text
  const words = [...(data.locations || []).map((at) => content[at] || ""),
    ...Object.values(data.meta || {}).flatMap((value) => String(value).split(/\s+/))];
  const found = new Set();
  for (const word of words.map(fold)) {
    found.add(word.replace(/[^\p{L}\p{N}]+/gu, ""));
    for (const part of word.split(/[^\p{L}\p{N}]+/u)) if (part) found.add(part);
  }
  return typos.filter(Boolean).every((typo) =>
    [...found].some((word) => sharedStart(typo, word) >= Math.min(4, typo.length)));
}

async function search() {
  const mine = ++run;
  page.dataset.searchState = "searching";
  writeState();
  list.replaceChildren();
  more.hidden = true;
  results = [];
  shown = 0;
  if (!state.query && !Object.keys(state.filters).length) {
    say("Type words to search the archive's posts and talks.");
    // the last filter was unticked: the filters go, and focus goes back to the query
    if (filtersBox.contains(document.activeElement)) input.focus();
    filtersBox.replaceChildren();
    page.dataset.searchState = "done";
    return;
  }
  // by filters alone, results come in the index's order: newest first (see search.py)
  const found = await pagefind.search(state.query || null, { filters: pagefindFilters() });
  if (mine !== run || !found) return;
  let ordered = await byRelevance(found);
  if (mine !== run) return;
  const nothing = ordered.length > 0 && !(await reallyMatches(ordered[0]));
  if (nothing) ordered = [];
  if (mine !== run) return;
  results = ordered;
  // with no real match, only the ticked values stay, to be unticked
  if (filtersLoaded) renderFilters(nothing ? {} : await filterCounts(found));
  else if (results.length) offerFilters();
  else filtersBox.replaceChildren();
  if (mine !== run) return;
  await showMore();
  if (mine !== run) return;
  const quoted = state.query ? `“${state.query}”` : "the chosen filters";
  say(results.length
    ? `${results.length} ${results.length === 1 ? "result" : "results"} for ${quoted}.`
    : `No results for ${quoted}.`);
  page.dataset.searchState = "done";
}

async function start() {
  input.value = state.query;
  if (window.location.protocol === "file:") return; // the page's own script says why
  try {
    pagefind = await import(new URL("pagefind/pagefind.js", root).href);
    // A speaker's name ranks that speaker's talks first: Pagefind boosts a result whose
    // "speakers" metadata matches the query, at no cost in bytes (nothing more to load).
    // No web worker: searching an index of 20,000 talks takes milliseconds on the page's
    // own thread, and the worker's script is 41 kB more for a first query to fetch.
    await pagefind.options({
      baseUrl: root.pathname,
      noWorker: true,
      ranking: { metaWeights: { speakers: SPEAKER_WEIGHT } },
    });
    await pagefind.init();
    // a shared address with filters in it shows them at once
    if (Object.keys(state.filters).length) await loadFilters();
  } catch (error) {
    say("The search index could not be loaded. Build the site with `make html` and serve it over HTTP.");
    page.dataset.searchState = "done";
    return;
  }
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    state.query = input.value.trim();
    search();
  });
  more.addEventListener("click", async () => {
    // the button hides once everything is shown: focus moves to the first new result
    const before = list.children.length;
    await showMore();
    const first = list.children[before];
    if (first) first.querySelector("a").focus();
  });
  await search();
}

start();
