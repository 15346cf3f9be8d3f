/* evalgraph web UI: SPARQL editor, cartography links, dossier check. No dependency; works offline. */
(function () {
  "use strict";

  const NS = "https://w3id.org/evalgraph/";
  const PREFIXES = {
    eg: NS + "ontology/", egv: NS + "vocab/", egr: NS + "id/", egg: NS + "graph/", egsh: NS + "shapes/",
    rdf: "http://www.w3.org/1999/02/22-rdf-syntax-ns#", rdfs: "http://www.w3.org/2000/01/rdf-schema#",
    owl: "http://www.w3.org/2002/07/owl#", xsd: "http://www.w3.org/2001/XMLSchema#",
    skos: "http://www.w3.org/2004/02/skos/core#", dct: "http://purl.org/dc/terms/", prov: "http://www.w3.org/ns/prov#",
  };
  const DEREFERENCEABLE = ["id/", "ontology/", "vocab/", "shapes/"];
  const NUMERIC = ["integer", "decimal", "double", "float", "long", "int", "nonNegativeInteger"];
  const MAX_ROWS = 2000;
  const MEDIA_BY_EXTENSION = {
    ttl: "text/turtle", jsonld: "application/ld+json", json: "application/ld+json",
    yaml: "application/yaml", yml: "application/yaml",
  };

  const BASE = new URL("../", window.location.href); // the server root, also behind a path prefix
  const $ = (id) => document.getElementById(id);
  const state = {
    lang: "en",
    queries: [],
    current: null, // the named query loaded in the editor
    lastRun: null, // {kind: "sparql", text} | {kind: "named", url}: what the CSV button downloads
    result: null, // what is displayed in #results, re-rendered on a language switch
    dossier: null, // the last dossier answer, re-rendered on a language switch
    csvUrl: null,
  };

  const { el, initialLanguage } = window.evalgraphPage;
  const t = window.evalgraphPage.translator("app", state);

  // ----------------------------------------------------------------------------------------------- language
  function setLanguage(lang, remember) {
    window.evalgraphPage.applyLanguage(state, t, lang, remember);
    for (const format of ["xlsx", "zip", "json"]) {
      const dialect = format === "zip" ? "&dialect=excel" : "";
      $(`carto-${format}`).href = new URL(`cartography?format=${format}${dialect}&lang=${lang}`, BASE).href;
    }
    fillExamples();
    showExample();
    renderResult();
    renderDossier();
    if (state.csvUrl) $("csv-link").textContent = t("csv_ready", { size: $("csv-link").dataset.size });
  }

  // ------------------------------------------------------------------------------------------------ helpers
  function compact(iri) {
    for (const [prefix, namespace] of Object.entries(PREFIXES)) {
      if (iri.startsWith(namespace) && iri !== namespace) return `${prefix}:${iri.slice(namespace.length)}`;
    }
    return iri;
  }

  function expand(name) {
    const match = /^([A-Za-z][\w-]*):(.*)$/.exec(name || "");
    if (match && match[1] in PREFIXES) return PREFIXES[match[1]] + match[2];
    return name;
  }

  /** The URL where an IRI can be read: evalgraph IRIs on this server, http(s) IRIs as they are, else none. */
  function hrefOf(iri) {
    if (iri.startsWith(NS)) {
      const local = iri.slice(NS.length);
      return DEREFERENCEABLE.some((d) => local.startsWith(d)) ? new URL(local, BASE).href : null;
    }
    return /^https?:\/\//.test(iri) ? iri : null;
  }

  function iriNode(iri, text) {
    const href = hrefOf(iri);
    const shown = text || compact(iri);
    return href ? el("a", { href, title: iri, "data-iri": iri }, shown) : el("span", { title: iri }, shown);
  }

  async function errorMessage(response) {
    try {
      const body = await response.clone().json();
      if (body && body.error && body.error.message) return body.error.message;
    } catch (_error) { /* not JSON */ }
    return t("http_error", { status: response.status, statusText: response.statusText });
  }

  function showError(id, text) {
    const box = $(id);
    box.textContent = text;
    box.hidden = !text;
  }

  /** ": " in English, a non-breaking space before the colon in French. */
  function colon() {
    return state.lang === "fr" ? "\u00a0: " : ": ";
  }

  function formatSize(bytes) {
    return bytes < 1024 ? `${bytes} B` : `${(bytes / 1024).toFixed(1)} kB`;
  }

  // ------------------------------------------------------------------------------------------------ editor
  const editor = $("editor");
  const gutter = $("gutter");
  let tabLeaves = false;

  function updateGutter() {
    const lines = editor.value.split("\n").length;
    if (gutter.dataset.lines !== String(lines)) {
      gutter.textContent = Array.from({ length: lines }, (_, i) => i + 1).join("\n");
      gutter.dataset.lines = String(lines);
    }
    gutter.scrollTop = editor.scrollTop;
  }

  function insert(text) {
    // execCommand keeps the undo history; setRangeText is the standard fallback.
    if (!document.execCommand || !document.execCommand("insertText", false, text)) {
      editor.setRangeText(text, editor.selectionStart, editor.selectionEnd, "end");
      updateGutter();
    }
  }

  function indentSelection() {
    const { value, selectionStart, selectionEnd } = editor;
    if (value.slice(selectionStart, selectionEnd).includes("\n")) {
      const start = value.lastIndexOf("\n", selectionStart - 1) + 1;
      const block = value.slice(start, selectionEnd);
      editor.setSelectionRange(start, selectionEnd);
      insert(block.replace(/^/gm, "  "));
      editor.setSelectionRange(start, start + block.length + 2 * block.split("\n").length);
    } else {
      insert("  ");
    }
  }

  editor.addEventListener("keydown", (event) => {
    if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) {
      event.preventDefault();
      runEditor();
    } else if (event.key === "Escape") {
      tabLeaves = true;
    } else if (event.key === "Tab" && !event.shiftKey && !event.ctrlKey && !event.altKey && !event.metaKey) {
      if (tabLeaves) { tabLeaves = false; return; }
      event.preventDefault();
      indentSelection();
    } else {
      tabLeaves = false;
    }
  });
  editor.addEventListener("input", updateGutter);
  editor.addEventListener("scroll", () => { gutter.scrollTop = editor.scrollTop; });
  editor.addEventListener("blur", () => { tabLeaves = false; });

  // ------------------------------------------------------------------------------------------ example queries
  function fillExamples() {
    const select = $("example");
    const chosen = select.value;
    select.replaceChildren(el("option", { value: "" }, t("example_choose")));
    const groups = [
      ["group_questions", state.queries.filter((q) => !q.name.endsWith("-violation"))],
      ["group_checks", state.queries.filter((q) => q.name.endsWith("-violation"))],
    ];
    for (const [label, queries] of groups) {
      if (!queries.length) continue;
      select.append(el("optgroup", { label: t(label) },
        queries.map((q) => el("option", { value: q.name }, (state.lang === "fr" ? q.title_fr : q.title_en) || q.name))));
    }
    select.value = chosen;
  }

  function namedUrl(query) {
    const params = new URLSearchParams();
    for (const input of $("named-inputs").querySelectorAll("input")) {
      if (input.value !== "") params.append(input.name, input.value);
    }
    const search = params.toString();
    return new URL(`queries/${encodeURIComponent(query.name)}${search ? "?" + search : ""}`, BASE);
  }

  function updateNamedUrl() {
    if (!state.current) return;
    const url = namedUrl(state.current);
    const link = $("named-url");
    link.href = url.href;
    link.textContent = url.pathname.replace(BASE.pathname, "/") + url.search;
    $("named-note").textContent = t("named_note", { url: link.textContent });
  }

  function showExample() {
    const query = state.current;
    const description = $("example-description");
    const panel = $("named-panel");
    if (!query) {
      description.hidden = true;
      panel.hidden = true;
      return;
    }
    description.replaceChildren(
      (state.lang === "fr" && query.description_fr) || query.description || "",
      query.columns && query.columns.length ? el("br") : null,
      query.columns && query.columns.length ? t("columns") + colon() : null,
      query.columns && query.columns.length ? el("code", {}, query.columns.join(", ")) : null,
    );
    description.hidden = false;
    panel.hidden = !(query.parameters && query.parameters.length);
    if (!panel.hidden) updateNamedUrl();
  }

  function loadExample(name) {
    const query = state.queries.find((q) => q.name === name) || null;
    state.current = query;
    const inputs = $("named-inputs");
    inputs.replaceChildren();
    if (query) {
      editor.value = query.text;
      editor.scrollTop = 0;
      updateGutter();
      for (const parameter of query.parameters || []) {
        const id = `param-${parameter.name}`;
        const input = el("input", {
          id, name: parameter.name, value: parameter.default ?? "", spellcheck: "false",
          type: parameter.type === "date" ? "date" : parameter.type === "integer" ? "number" : "text",
          placeholder: parameter.type === "IRI" ? "https://w3id.org/evalgraph/id/…" : null,
        });
        input.addEventListener("input", updateNamedUrl);
        input.addEventListener("keydown", (event) => {
          if (event.key === "Enter") { event.preventDefault(); runNamed(); }
        });
        inputs.append(el("div", { class: "param" },
          el("label", { for: id }, parameter.name, " ", el("span", { class: "type" }, `(${parameter.type})`)), input));
      }
    }
    showExample();
  }

  async function loadQueries() {
    try {
      const response = await fetch(new URL("queries", BASE), { headers: { Accept: "application/json" } });
      if (!response.ok) throw new Error(await errorMessage(response));
      state.queries = await response.json();
    } catch (error) {
      showError("sparql-error", String(error.message || error));
      return;
    }
    fillExamples();
    document.body.dataset.queriesLoaded = "true";
  }

  // -------------------------------------------------------------------------------------------- running queries
  async function execute(request, lastRun) {
    showError("sparql-error", "");
    state.result = null;
    renderResult();
    $("sparql-status").textContent = t("running");
    $("results").setAttribute("aria-busy", "true");
    for (const button of [$("run"), $("run-named")]) button.disabled = true;
    const started = performance.now();
    try {
      let response;
      try {
        response = await request();
      } catch (error) {
        throw new Error(t("network_error", { detail: error.message || error }));
      }
      if (!response.ok) throw new Error(await errorMessage(response));
      const type = (response.headers.get("content-type") || "").split(";")[0].trim().toLowerCase();
      let result;
      if (type === "text/turtle" || type === "application/n-triples") {
        result = { kind: "graph", text: await response.text() };
      } else {
        const body = await response.json();
        result = "boolean" in body ? { kind: "ask", value: body.boolean } : { kind: "select", body };
      }
      result.ms = Math.round(performance.now() - started);
      state.result = result;
      state.lastRun = result.kind === "graph" ? null : lastRun;
      clearCsv();
      renderResult();
    } catch (error) {
      state.result = null;
      state.lastRun = null;
      clearCsv();
      renderResult();
      showError("sparql-error", String(error.message || error));
      $("sparql-status").textContent = "";
    } finally {
      for (const button of [$("run"), $("run-named")]) button.disabled = false;
      $("results").removeAttribute("aria-busy");
    }
  }

  function runEditor() {
    const text = editor.value;
    if (!text.trim()) {
      showError("sparql-error", t("empty_query"));
      return;
    }
    execute(() => fetch(new URL("sparql", BASE), {
      method: "POST",
      headers: { "Content-Type": "application/sparql-query", Accept: "application/sparql-results+json, text/turtle;q=0.9" },
      body: text,
    }), { kind: "sparql", text });
  }

  function runNamed() {
    if (!state.current) return;
    const url = namedUrl(state.current);
    execute(() => fetch(url, { headers: { Accept: "application/json" } }), { kind: "named", url: url.href });
  }

  function termNode(term) {
    if (!term) return "";
    if (term.type === "uri") return iriNode(term.value);
    if (term.type === "bnode") return `_:${term.value}`;
    const span = el("span", {}, term.value);
    if (term["xml:lang"]) span.append(" ", el("span", { class: "tag" }, `@${term["xml:lang"]}`));
    return span;
  }

  function isNumeric(term) {
    return term && term.datatype && NUMERIC.some((n) => term.datatype === PREFIXES.xsd + n);
  }

  function renderResult() {
    const box = $("results");
    const result = state.result;
    box.replaceChildren();
    $("csv").disabled = !state.lastRun;
    if (!result) return;
    const elapsed = t("ms", result.ms);
    if (result.kind === "ask") {
      box.append(el("p", { class: "ask" }, t("ask_caption") + colon(),
        el("strong", { id: "ask-value", "data-value": String(result.value) }, t(result.value ? "ask_true" : "ask_false"))));
      $("sparql-status").textContent = `${t("ask_caption")} — ${elapsed}`;
      return;
    }
    if (result.kind === "graph") {
      box.append(el("h3", { class: "sr-caption" }, t("graph_caption")),
        el("pre", { id: "turtle", class: "turtle", tabindex: "0" }, result.text));
      const count = result.text.split("\n").filter((line) => line.trim().endsWith(".")).length;
      $("sparql-status").textContent = `${t("triples_result")} — ${elapsed}`;
      box.dataset.statements = String(count);
      return;
    }
    const variables = (result.body.head && result.body.head.vars) || [];
    const rows = (result.body.results && result.body.results.bindings) || [];
    const shown = rows.slice(0, MAX_ROWS);
    const table = el("table", { id: "results-table", class: "data results-grid" },
      el("caption", { class: "visually-hidden" }, t("results_caption")),
      el("thead", {}, el("tr", {}, variables.map((v) => el("th", { scope: "col" }, v)))),
      el("tbody", {}, shown.map((row) => el("tr", {}, variables.map((v) =>
        el("td", { class: isNumeric(row[v]) ? "num" : null }, el("div", { class: "cell" }, termNode(row[v]))))))));
    box.append(el("div", { class: "scroll" }, table));
    if (!rows.length) box.append(el("p", { class: "empty" }, t("no_rows")));
    const count = rows.length > MAX_ROWS ? `${t("rows", rows.length)} (${t("shown", MAX_ROWS)})` : t("rows", rows.length);
    $("sparql-status").textContent = `${count} — ${elapsed}`;
    box.dataset.rows = String(rows.length);
  }

  // ------------------------------------------------------------------------------------------------- CSV
  function clearCsv() {
    const link = $("csv-link");
    if (state.csvUrl) URL.revokeObjectURL(state.csvUrl);
    state.csvUrl = null;
    link.hidden = true;
    link.removeAttribute("href");
  }

  async function downloadCsv() {
    const run = state.lastRun;
    if (!run) return;
    showError("sparql-error", "");
    let response;
    try {
      if (run.kind === "sparql") {
        response = await fetch(new URL("sparql", BASE), {
          method: "POST", headers: { "Content-Type": "application/sparql-query", Accept: "text/csv" }, body: run.text,
        });
      } else {
        response = await fetch(run.url, { headers: { Accept: "text/csv" } });
      }
    } catch (error) {
      showError("sparql-error", t("network_error", { detail: error.message || error }));
      return;
    }
    if (!response.ok) {
      showError("sparql-error", await errorMessage(response));
      return;
    }
    const blob = await response.blob();
    clearCsv();
    state.csvUrl = URL.createObjectURL(new Blob([blob], { type: "text/csv" }));
    const link = $("csv-link");
    const name = run.kind === "named" ? new URL(run.url).pathname.split("/").pop() : (state.current ? state.current.name : "query");
    link.download = `${name}.csv`;
    link.href = state.csvUrl;
    link.dataset.size = formatSize(blob.size);
    link.textContent = t("csv_ready", { size: link.dataset.size });
    link.hidden = false;
    link.click();
  }

  // ---------------------------------------------------------------------------------------------- dossiers
  async function checkDossier(event) {
    event.preventDefault();
    showError("dossier-error", "");
    const file = $("dossier-file").files[0];
    if (!file) {
      showError("dossier-error", t("no_file"));
      return;
    }
    const extension = (file.name.split(".").pop() || "").toLowerCase();
    const media = file.name.includes(".") ? MEDIA_BY_EXTENSION[extension] : undefined;
    if (!media) {
      showError("dossier-error", t("bad_extension", { name: file.name }));
      return;
    }
    const token = $("dossier-token").value.trim();
    const existing = $("dossier-id").value.trim();
    const path = !token ? "validate" : existing ? `dossiers/${encodeURIComponent(existing)}/versions` : "dossiers";
    const url = new URL(path, BASE);
    url.search = new URLSearchParams({ name: file.name, lang: state.lang }).toString();
    const headers = { "Content-Type": media, Accept: "application/json" };
    if (token) headers.Authorization = `Bearer ${token}`;
    const submit = $("dossier-submit");
    submit.disabled = true;
    $("dossier-status").textContent = t("checking");
    $("dossier-result").setAttribute("aria-busy", "true");
    state.dossier = null;
    renderDossier();
    try {
      let response;
      try {
        response = await fetch(url, { method: "POST", headers, body: await file.arrayBuffer() });
      } catch (error) {
        throw new Error(t("network_error", { detail: error.message || error }));
      }
      if (!response.ok) throw new Error(await errorMessage(response));
      const body = await response.json();
      state.dossier = { body, stored: Boolean(token) };
      renderDossier();
      $("dossier-result").focus();
    } catch (error) {
      $("dossier-status").textContent = "";
      showError("dossier-error", String(error.message || error));
    } finally {
      submit.disabled = false;
      $("dossier-result").removeAttribute("aria-busy");
    }
  }

  function sourceNodes(sources) {
    return (sources || []).map((source) => el("div", { class: "source" },
      source.iri ? iriNode(source.iri, source.label || source.citation) : source.label || source.citation || "",
      source.url ? [" ", el("a", { href: source.url, class: "external", rel: "noopener noreferrer" },
        `(${t("source_link")})`)] : null));
  }

  function termText(name) {
    if (!name) return "";
    const iri = expand(name);
    return iri !== name || /^https?:\/\//.test(name) ? iriNode(iri, name) : el("span", {}, name);
  }

  function labelOf(value) {
    return value ? value.label || compact(value.iri || "") : "";
  }

  /** A short reading of one technology's qualification: conclusions, then eligible pathways and obligations. */
  function qualificationItem(item) {
    const parts = [];
    if (typeof item.summary === "string") parts.push(el("p", {}, item.summary));
    const conclusions = Array.isArray(item.conclusions) ? item.conclusions : [];
    if (conclusions.length) {
      parts.push(el("ul", { class: "conclusions" }, conclusions.map((c) => {
        let answer = labelOf(c.value);
        if (!answer && c.at_least) answer = t("at_least", { value: labelOf(c.at_least) });
        if (!answer && Array.isArray(c.possible) && c.possible.length) answer = c.possible.map(labelOf).join(" / ");
        if (!answer) answer = t(`status_${c.status}`);
        const needs = Array.isArray(c.needs) && c.needs.length
          ? el("span", { class: "hint" }, ` (${t("needs")}${colon()}${c.needs.join(", ")})`) : null;
        return el("li", {}, el("strong", {}, c.title || c.fact || ""), colon(), answer, needs);
      })));
    }
    for (const [key, heading] of [["pathways", "eligible_pathways"], ["obligations", "eligible_obligations"]]) {
      const eligible = (Array.isArray(item[key]) ? item[key] : []).filter((e) => e.status === "eligible");
      if (eligible.length) {
        parts.push(el("p", {}, el("strong", {}, t(heading)), colon(), eligible.map((e) => e.label || compact(e.iri)).join(state.lang === "fr" ? " ; " : "; ")));
      }
    }
    const possible = (Array.isArray(item.pathways) ? item.pathways : []).filter((e) => e.status === "undetermined");
    if (possible.length) {
      parts.push(el("p", {}, el("strong", {}, t("possible_pathways")), colon(),
        possible.map((e) => `${e.label || compact(e.iri)} ← ${(e.needs || []).join(", ")}`).join(state.lang === "fr" ? " ; " : "; ")));
    }
    if ("evaluation_gap" in item) {
      const word = (v) => t(v === true ? "yes" : v === false ? "no" : "unknown");
      parts.push(el("p", { class: "gap" }, el("strong", {}, t("evaluation_gap")), colon(), word(item.evaluation_gap),
        el("span", { class: "hint" }, ` (${t("national_evaluation_obtained")}${colon()}${word(item.national_evaluation_obtained)}`
          + ` ; ${t("national_route_open")}${colon()}${word(item.national_route_open)})`)));
    }
    const title = item.label || (item.technology ? compact(item.technology) : "");
    return el("div", { class: "qualification-item" }, title ? el("h4", {}, title) : null, parts);
  }

  function qualificationSummary(qualification) {
    const items = Array.isArray(qualification) ? qualification : [qualification];
    return items.filter((item) => item && typeof item === "object").map(qualificationItem);
  }

  function renderDossier() {
    const box = $("dossier-result");
    box.replaceChildren();
    if (!state.dossier) return;
    const { body, stored } = state.dossier;
    const report = body.report || body;
    const counts = report.counts || {};
    const conforms = Boolean(report.conforms);
    const file = report.file || "";
    box.append(el("p", { id: "dossier-summary", class: `summary ${conforms ? "ok" : "ko"}`, "data-conforms": String(conforms) },
      el("span", { class: `badge ${conforms ? "ok" : "Violation"}` }, t(conforms ? "conforms" : "fails")), " ",
      t(conforms ? "conforms_long" : "fails_long", { file })));
    box.append(el("p", { id: "dossier-counts" }, t("counts", {
      v: counts.Violation || 0, w: counts.Warning || 0, i: counts.Info || 0, t: report.triples ?? "?",
    })));
    if (report.ignored_reference_statements) {
      box.append(el("p", { class: "hint" }, t("ignored", { n: report.ignored_reference_statements })));
    }
    if (stored) {
      box.append(el("p", { id: "dossier-stored", class: "stored" }, t("stored", { id: body.id ?? "?", version: body.version ?? "?" })));
    }
    const technologies = report.technologies || [];
    if (technologies.length) {
      box.append(el("p", {}, t("technologies") + colon(),
        technologies.map((tech, index) => [index ? ", " : "", el("strong", {}, tech.label || compact(tech.iri)),
          " ", el("code", {}, compact(tech.iri))])));
    }
    const findings = report.findings || [];
    if (findings.length) {
      const columns = ["col_severity", "col_focus", "col_path", "col_value", "col_message", "col_sources"];
      box.append(el("div", { class: "scroll" }, el("table", { id: "findings-table", class: "data findings" },
        el("caption", {}, t("findings_caption")),
        el("thead", {}, el("tr", {}, columns.map((c) => el("th", { scope: "col" }, t(c))))),
        el("tbody", {}, findings.map((f) => el("tr", { class: `finding ${f.severity}`, "data-severity": f.severity,
          "data-shape": f.shape || "" },
        el("td", {}, el("span", { class: `badge ${f.severity}` }, t(`sev_${f.severity}`))),
        el("td", {}, f.focus_label ? [f.focus_label, el("br"), el("code", {}, f.focus)] : el("code", {}, f.focus || "")),
        el("td", {}, termText(f.path)),
        el("td", {}, f.value ? el("code", {}, f.value) : ""),
        el("td", { class: "message" }, f.message || ""),
        el("td", {}, sourceNodes(f.sources))))))));
    } else {
      box.append(el("p", { class: "empty" }, t("no_findings")));
    }
    if (body.qualification && !(Array.isArray(body.qualification) && !body.qualification.length)) {
      box.append(el("details", { id: "qualification" },
        el("summary", {}, t("qualification")),
        qualificationSummary(body.qualification),
        el("details", { class: "nested" }, el("summary", {}, t("qualification_json")),
          el("pre", { class: "json", tabindex: "0" }, JSON.stringify(body.qualification, null, 2)))));
    }
    $("dossier-status").textContent = "";  // the result itself is shown (and focused) below
  }

  // ---------------------------------------------------------------------------------------------- wiring
  function start() {
    for (const button of document.querySelectorAll("#lang-switch button")) {
      button.addEventListener("click", () => setLanguage(button.dataset.lang, true));
    }
    $("example").addEventListener("change", (event) => loadExample(event.target.value));
    $("run").addEventListener("click", runEditor);
    $("run-named").addEventListener("click", runNamed);
    $("csv").addEventListener("click", downloadCsv);
    $("dossier-form").addEventListener("submit", checkDossier);
    $("endpoint-url").textContent = new URL("sparql", BASE).href;
    editor.value = "PREFIX eg: <https://w3id.org/evalgraph/ontology/>\n" +
      "PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>\n\n" +
      "SELECT ?technology ?label WHERE {\n  ?technology a eg:DigitalTechnology ; rdfs:label ?label .\n" +
      "  FILTER (LANG(?label) = \"en\")\n}\nORDER BY ?label\nLIMIT 20\n";
    updateGutter();
    setLanguage(initialLanguage(), false);
    loadQueries().then(() => { document.body.dataset.ready = "true"; });
  }

  start();
})();
