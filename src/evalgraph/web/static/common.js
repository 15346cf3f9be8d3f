/* evalgraph web pages: what every page shares — texts by language, element building, the FR/EN switch. */
(function () {
  "use strict";

  /** Texts every page shows: the header, the navigation, network errors. */
  const SHARED = {
    "en": {
      "skip": "Skip to content",
      "tagline": "Knowledge graph of how digital health technologies are regulated and evaluated",
      "nav_label": "Sections",
      "nav_sparql": "SPARQL query",
      "nav_cartography": "Cartography report",
      "nav_dossier": "Dossier check",
      "network_error": "The server could not be reached ({detail}).",
      "http_error": "The server answered {status} {statusText}."
    },
    "fr": {
      "skip": "Aller au contenu",
      "tagline": "Graphe de connaissances sur la réglementation et l'évaluation des technologies numériques en santé",
      "nav_label": "Rubriques",
      "nav_sparql": "Requête SPARQL",
      "nav_cartography": "Rapport de cartographie",
      "nav_dossier": "Vérification de dossier",
      "network_error": "Le serveur est injoignable ({detail}).",
      "http_error": "Le serveur a répondu {status} {statusText}."
    }
  };

  /** A translator over the page's TEXT ({en: {...}, fr: {...}}) and SHARED, in the language state.lang; {name}
   * fills from values. */
  function translator(TEXT, state) {
    return function t(key, values) {
      const entry = TEXT[state.lang][key] ?? SHARED[state.lang][key] ?? TEXT.en[key] ?? SHARED.en[key] ?? key;
      if (typeof entry === "function") return entry(values);
      return entry.replace(/\{(\w+)\}/g, (_, name) => (values && name in values ? String(values[name]) : `{${name}}`));
    };
  }

  /** An element with attributes (class, text, others; null/false left out) and children (nodes or text). */
  function el(tag, attributes, ...children) {
    const node = document.createElement(tag);
    for (const [name, value] of Object.entries(attributes || {})) {
      if (value === null || value === undefined || value === false) continue;
      if (name === "class") node.className = value;
      else if (name === "text") node.textContent = value;
      else node.setAttribute(name, value === true ? "" : String(value));
    }
    for (const child of children.flat(Infinity)) {
      if (child === null || child === undefined || child === false) continue;
      node.append(child instanceof Node ? child : document.createTextNode(String(child)));
    }
    return node;
  }

  /** ?lang=, else the choice remembered in this browser, else the browser's language. */
  function initialLanguage() {
    const fromUrl = new URLSearchParams(window.location.search).get("lang");
    if (fromUrl === "fr" || fromUrl === "en") return fromUrl;
    try {
      const saved = window.localStorage.getItem("evalgraph-lang");
      if (saved === "fr" || saved === "en") return saved;
    } catch (_error) { /* storage may be disabled */ }
    const languages = navigator.languages && navigator.languages.length ? navigator.languages : [navigator.language];
    return (languages[0] || "en").toLowerCase().startsWith("fr") ? "fr" : "en";
  }

  /** Switch the page's static texts (data-i18n, data-i18n-attr), the switch buttons and the title to lang. */
  function applyLanguage(state, t, lang, remember) {
    state.lang = lang;
    document.documentElement.lang = lang;
    if (remember) {
      try { window.localStorage.setItem("evalgraph-lang", lang); } catch (_error) { /* ignore */ }
    }
    for (const node of document.querySelectorAll("[data-i18n]")) node.textContent = t(node.dataset.i18n);
    for (const node of document.querySelectorAll("[data-i18n-attr]")) {
      for (const pair of node.dataset.i18nAttr.split(";")) {
        const [attribute, key] = pair.split(":");
        node.setAttribute(attribute, t(key));
      }
    }
    for (const button of document.querySelectorAll("#lang-switch button")) {
      button.setAttribute("aria-pressed", String(button.dataset.lang === lang));
    }
    document.title = `${t("page_title")} — evalgraph`;
  }

  window.evalgraphPage = { translator, el, initialLanguage, applyLanguage };
})();
