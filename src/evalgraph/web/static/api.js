/* evalgraph API reference: renders the server's /openapi.json. No dependency; works offline (no CDN). */
(function () {
  "use strict";

  const METHODS = ["get", "put", "post", "delete", "options", "head", "patch", "trace"];

  const BASE = new URL("../", window.location.href); // the server root, also behind a path prefix
  const $ = (id) => document.getElementById(id);
  const state = { lang: "en", spec: null };

  const { el, initialLanguage } = window.evalgraphPage;
  const t = window.evalgraphPage.translator("api", state);

  // ----------------------------------------------------------------------------------------------- language
  function setLanguage(lang, remember) {
    window.evalgraphPage.applyLanguage(state, t, lang, remember);
    render();
  }

  // ---------------------------------------------------------------------------------- markdown-ish text
  const INLINE = /`([^`]+)`|\*\*([^*]+)\*\*|\[([^\]]+)\]\(([^)\s]+)\)/g;

  /** Inline code, bold and links of a line of text, as DOM nodes (never as HTML). */
  function inline(text) {
    const nodes = [];
    let last = 0;
    for (const match of text.matchAll(INLINE)) {
      if (match.index > last) nodes.push(text.slice(last, match.index));
      if (match[1] !== undefined) nodes.push(el("code", {}, match[1]));
      else if (match[2] !== undefined) nodes.push(el("strong", {}, inline(match[2])));
      else {
        const safe = /^(https?:\/\/|\/|#)/.test(match[4]);
        nodes.push(safe ? el("a", { href: match[4] }, match[3]) : match[0]);
      }
      last = match.index + match[0].length;
    }
    if (last < text.length) nodes.push(text.slice(last));
    return nodes;
  }

  /** Paragraphs, bulleted and numbered lists, headings and fenced code of a description. */
  function markdown(text) {
    const out = [];
    const lines = String(text || "").replace(/\r\n?/g, "\n").split("\n");
    let paragraph = [];
    let list = null; // {tag, items: [[line, …], …]}
    let fence = null;
    const flushParagraph = () => {
      if (paragraph.length) out.push(el("p", {}, inline(paragraph.join(" "))));
      paragraph = [];
    };
    const flushList = () => {
      if (list) out.push(el(list.tag, {}, list.items.map((item) => el("li", {}, inline(item.join(" "))))));
      list = null;
    };
    for (const raw of lines) {
      if (fence !== null) {
        if (/^\s*```/.test(raw)) {
          out.push(el("pre", { class: "json" }, fence.join("\n")));
          fence = null;
        } else {
          fence.push(raw);
        }
        continue;
      }
      const line = raw.trim();
      const bullet = /^[*-]\s+(.*)$/.exec(line);
      const numbered = /^\d+[.)]\s+(.*)$/.exec(line);
      const heading = /^#{1,6}\s+(.*)$/.exec(line);
      if (/^```/.test(line)) {
        flushParagraph(); flushList();
        fence = [];
      } else if (!line) {
        flushParagraph(); flushList();
      } else if (heading) {
        flushParagraph(); flushList();
        out.push(el("p", { class: "md-heading" }, el("strong", {}, inline(heading[1]))));
      } else if (bullet || numbered) {
        flushParagraph();
        const tag = bullet ? "ul" : "ol";
        if (list && list.tag !== tag) flushList();
        if (!list) list = { tag, items: [] };
        list.items.push([(bullet || numbered)[1]]);
      } else if (list && /^\s/.test(raw)) {
        list.items[list.items.length - 1].push(line); // an indented continuation of the item
      } else {
        flushList();
        paragraph.push(line);
      }
    }
    if (fence !== null) out.push(el("pre", { class: "json" }, fence.join("\n")));
    flushParagraph();
    flushList();
    return out;
  }

  // ---------------------------------------------------------------------------------------------- schemas
  function refName(ref) {
    return String(ref).split("/").pop();
  }

  /** A one-line reading of a JSON schema: string, array<string>, Error, object {query, update}, string | null… */
  function schemaText(schema, depth = 0) {
    if (!schema || typeof schema !== "object") return "";
    if (schema.$ref) return refName(schema.$ref);
    for (const [key, joiner] of [["anyOf", " | "], ["oneOf", " | "], ["allOf", " & "]]) {
      if (Array.isArray(schema[key])) return schema[key].map((s) => schemaText(s, depth + 1) || "any").join(joiner);
    }
    let type = Array.isArray(schema.type) ? schema.type.join(" | ") : schema.type;
    if (type === "array" || (!type && schema.items)) {
      return `array<${schemaText(schema.items, depth + 1) || "any"}>`;
    }
    if (type === "object" || (!type && schema.properties)) {
      const names = Object.keys(schema.properties || {});
      if (!names.length || depth > 1) return "object";
      const required = new Set(schema.required || []);
      return `object {${names.map((n) => (required.has(n) ? `${n}*` : n)).join(", ")}}`;
    }
    if (!type) return "";
    if (schema.format) type += ` (${schema.format})`;
    return type;
  }

  function schemaNotes(schema) {
    const notes = [];
    if (!schema || typeof schema !== "object") return notes;
    if (Array.isArray(schema.enum)) notes.push(t("values", { values: schema.enum.join(" | ") }));
    if (schema.default !== undefined) notes.push(t("default_value", { value: JSON.stringify(schema.default) }));
    return notes;
  }

  // ------------------------------------------------------------------------------------------- operations
  function resolve(object) {
    // Parameters, bodies and responses may be references to components.
    let current = object;
    for (let hops = 0; current && current.$ref && hops < 10; hops += 1) {
      const path = String(current.$ref).replace(/^#\//, "").split("/");
      current = path.reduce((node, key) => (node ? node[key.replace(/~1/g, "/").replace(/~0/g, "~")] : undefined),
        state.spec);
    }
    return current || {};
  }

  /** Every operation of the spec, with its path-level parameters merged in. */
  function operations(spec) {
    const found = [];
    for (const [path, item] of Object.entries(spec.paths || {})) {
      const shared = (item.parameters || []).map(resolve);
      for (const method of METHODS) {
        const operation = item[method];
        if (!operation) continue;
        const own = (operation.parameters || []).map(resolve);
        const names = new Set(own.map((p) => `${p.in}:${p.name}`));
        const parameters = [...shared.filter((p) => !names.has(`${p.in}:${p.name}`)), ...own];
        found.push({ path, method, operation, parameters });
      }
    }
    return found;
  }

  /** "required", "optional" or "none": whether the operation needs a bearer token. */
  function bearerNeed(operation) {
    const requirements = operation.security ?? state.spec.security ?? [];
    const schemes = (state.spec.components && state.spec.components.securitySchemes) || {};
    const isBearer = (name) => /bearer/i.test(name) || /bearer/i.test((schemes[name] || {}).scheme || "");
    if (!requirements.some((r) => Object.keys(r).some(isBearer))) return "none";
    return requirements.some((r) => !Object.keys(r).length) ? "optional" : "required";
  }

  function anchor(method, path) {
    return `op-${method}-${path.replace(/[^A-Za-z0-9]+/g, "-").replace(/^-|-$/g, "") || "root"}`;
  }

  /** The catalogue's key for a tag of the server's (ui_api_tag_<tag>, spaces as underscores). */
  const tagKey = (tag) => `tag_${String(tag).replace(/ /g, "_")}`;

  function tagName(tag) {
    if (tag === null) return t("untagged");
    return t.has(tagKey(tag)) ? t(tagKey(tag)) : tag;
  }

  /** A tag's description, translated only while it is the one the catalogue knows in English. */
  function tagDescription(tag, description) {
    const key = `${tagKey(tag)}_description`;
    if (description && t.english(key) === description) return t(key);
    return description || "";
  }

  /** Operations grouped by their first tag: the spec's tags in their order, then the others, then untagged. */
  function groups(spec) {
    const byTag = new Map();
    for (const tag of spec.tags || []) byTag.set(tag.name, { tag: tag.name, description: tag.description, items: [] });
    const untagged = { tag: null, description: "", items: [] };
    for (const op of operations(spec)) {
      const tag = (op.operation.tags || [])[0];
      if (tag === undefined) { untagged.items.push(op); continue; }
      if (!byTag.has(tag)) byTag.set(tag, { tag, description: "", items: [] });
      byTag.get(tag).items.push(op);
    }
    return [...byTag.values(), untagged].filter((g) => g.items.length);
  }

  function table(className, columns, rows) {
    return el("div", { class: "scroll" }, el("table", { class: `data ${className}` },
      el("thead", {}, el("tr", {}, columns.map((c) => el("th", { scope: "col" }, t(c))))),
      el("tbody", {}, rows)));
  }

  function parametersBlock(parameters) {
    const heading = el("h4", { class: "op-heading" }, t("params_heading"));
    if (!parameters.length) return [heading, el("p", { class: "empty" }, t("no_params"))];
    return [heading, table("params", ["col_name", "col_in", "col_required", "col_type", "col_description"],
      parameters.map((p) => el("tr", { class: "param-row", "data-name": p.name, "data-in": p.in },
        el("td", {}, el("code", { class: "param-name" }, p.name)),
        el("td", {}, t.has(`in_${p.in}`) ? t(`in_${p.in}`) : p.in),
        el("td", { "data-required": String(Boolean(p.required)) }, t(p.required ? "yes" : "no")),
        el("td", {}, el("code", {}, schemaText(p.schema) || "—"),
          schemaNotes(p.schema).map((note) => [el("br"), el("span", { class: "hint" }, note)])),
        el("td", { class: "md" }, p.description ? markdown(p.description) : ""))))];
  }

  function bodyBlock(operation) {
    const body = operation.requestBody ? resolve(operation.requestBody) : null;
    if (!body) return [];
    const content = body.content || {};
    return [
      el("h4", { class: "op-heading" }, t("body_heading"), " ",
        el("span", { class: "hint" }, `(${t(body.required ? "body_required" : "body_optional")})`)),
      body.description ? el("div", { class: "md" }, markdown(body.description)) : null,
      table("body-media", ["col_media", "col_schema"], Object.entries(content).map(([media, entry]) =>
        el("tr", { class: "request-media", "data-media": media },
          el("td", {}, el("code", {}, media)),
          el("td", {}, el("code", {}, schemaText((entry || {}).schema) || "—"))))),
    ];
  }

  function responsesBlock(operation) {
    const entries = Object.entries(operation.responses || {}).sort(([a], [b]) => a.localeCompare(b));
    if (!entries.length) return [];
    return [
      el("h4", { class: "op-heading" }, t("responses_heading")),
      table("responses", ["col_status", "col_description", "col_media_types"], entries.map(([status, raw]) => {
        const response = resolve(raw);
        const media = Object.entries(response.content || {});
        return el("tr", { class: "response-row", "data-status": status },
          el("td", {}, el("code", { class: `status-code s${status[0]}` }, status)),
          el("td", { class: "md" }, markdown(response.description || "")),
          el("td", {}, media.map(([type, entry], index) => [index ? el("br") : null, el("code", {}, type),
            entry && entry.schema && entry.schema.$ref ? el("span", { class: "hint" }, ` (${schemaText(entry.schema)})`)
              : null])));
      })),
    ];
  }

  function operationBlock({ path, method, operation, parameters }) {
    const need = bearerNeed(operation);
    return el("article", { class: "operation", id: anchor(method, path), "data-method": method, "data-path": path,
      "data-auth": need },
    el("h3", { class: "op-title" }, el("span", { class: `method method-${method}` }, method.toUpperCase()), " ",
      el("code", { class: "op-path" }, path)),
    operation.summary ? el("p", { class: "op-summary" }, inline(operation.summary)) : null,
    el("p", { class: `auth auth-${need}`, "data-auth": need },
      el("span", { class: `badge ${need === "required" ? "Warning" : need === "optional" ? "Info" : "ok"}` },
        t(`auth_${need}`))),
    operation.description ? el("div", { class: "md op-description" }, markdown(operation.description)) : null,
    parametersBlock(parameters),
    bodyBlock(operation),
    responsesBlock(operation));
  }

  // ------------------------------------------------------------------------------------------------ render
  function renderInfo(spec) {
    const info = spec.info || {};
    $("api-title").replaceChildren(info.title || "API", " ",
      info.version ? el("span", { class: "hint", id: "api-version" }, t("version", { version: info.version })) : null);
    $("api-description").replaceChildren(...markdown(info.description || ""));
    const schemes = Object.entries((spec.components && spec.components.securitySchemes) || {});
    $("auth-schemes").replaceChildren(schemes.length ? el("ul", { class: "links" }, schemes.map(([name, scheme]) =>
      el("li", { "data-scheme": name },
        t("auth_scheme", { name, scheme: scheme.scheme || scheme.type || "",
          header: scheme.scheme === "bearer" ? "Authorization: Bearer …" : scheme.name || "" }),
        scheme.description ? [" — ", inline(scheme.description)] : null)))
      : el("p", { class: "empty" }, t("auth_none_defined")));
    $("api-info").hidden = false;
  }

  function render() {
    const spec = state.spec;
    if (!spec) {
      $("api-status").textContent = $("api-error").hidden ? t("loading") : "";
      return;
    }
    renderInfo(spec);
    const all = groups(spec);
    $("toc-groups").replaceChildren(el("ul", { class: "toc" }, all.map((group) => el("li", {},
      el("a", { href: `#${tagAnchor(group.tag)}` }, tagName(group.tag)),
      el("ul", {}, group.items.map((op) => el("li", {},
        el("a", { href: `#${anchor(op.method, op.path)}` },
          el("span", { class: `method method-${op.method}` }, op.method.toUpperCase()), " ",
          el("code", {}, op.path)))))))));
    $("api-toc").hidden = false;
    $("operations").replaceChildren(...all.map((group) => {
      const headingId = `${tagAnchor(group.tag)}-heading`;
      const description = tagDescription(group.tag, group.description);
      return el("section", { class: "panel api-group", id: tagAnchor(group.tag), "data-tag": group.tag ?? "",
        "aria-labelledby": headingId },
      el("h2", { id: headingId, class: "tag-heading" }, tagName(group.tag)),
      description ? el("p", { class: "intro tag-description" }, description) : null,
      group.items.map(operationBlock));
    }));
    const count = operations(spec).length;
    $("api-status").textContent = t("loaded", count);
  }

  function tagAnchor(tag) {
    return `tag-${tag === null ? "other" : String(tag).replace(/[^A-Za-z0-9]+/g, "-")}`;
  }

  async function load() {
    const url = new URL("openapi.json", BASE);
    const error = $("api-error");
    try {
      let response;
      try {
        response = await fetch(url, { headers: { Accept: "application/json" } });
      } catch (failure) {
        throw new Error(t("network_error", { detail: failure.message || failure }));
      }
      if (!response.ok) throw new Error(t("http_error", { status: response.status, statusText: response.statusText }));
      state.spec = await response.json();
      error.hidden = true;
      render();
      if (window.location.hash) {
        const target = document.getElementById(window.location.hash.slice(1));
        if (target) target.scrollIntoView();
      }
    } catch (failure) {
      error.textContent = String(failure.message || failure);
      error.hidden = false;
      $("api-status").textContent = "";
    }
  }

  // ---------------------------------------------------------------------------------------------- wiring
  function start() {
    for (const button of document.querySelectorAll("#lang-switch button")) {
      button.addEventListener("click", () => setLanguage(button.dataset.lang, true));
    }
    $("openapi-link").href = new URL("openapi.json", BASE).href;
    $("openapi-url").textContent = new URL("openapi.json", BASE).href;
    setLanguage(initialLanguage(), false);
    load().then(() => { document.body.dataset.ready = "true"; });
  }

  start();
})();
