/* evalgraph web pages: what every page shares — the translator over the exported catalogue, element building, the
 * FR/EN switch. */
(function () {
  "use strict";

  /** The page texts of the translation catalogue (src/evalgraph/locale), which the server exports as messages.js:
   * {en: {key: text}, fr: {…}}, keys ui_<page>_<name> for one page and ui_<name> for every page. */
  const CATALOGUE = window.evalgraphMessages || { en: {}, fr: {} };

  /** A translator for page ("app", "api") in the language state.lang: t(key, values) fills {name} from values; with
   * a number, t(key, n) fills {n} and picks the key's _one / _other form by the language's plural rule. t.english(key)
   * is the English text, t.has(key) whether the catalogue has it. */
  function translator(page, state) {
    const find = (lang, key) => (CATALOGUE[lang] || {})[`ui_${page}_${key}`] ?? (CATALOGUE[lang] || {})[`ui_${key}`];
    function t(key, values) {
      if (typeof values === "number") {
        const form = new Intl.PluralRules(state.lang).select(values) === "one" ? "one" : "other";
        if (find("en", `${key}_${form}`) !== undefined) key = `${key}_${form}`;
        values = { n: values };
      }
      const entry = find(state.lang, key) || find("en", key) || key;
      return entry.replace(/\{(\w+)\}/g, (_, name) => (values && name in values ? String(values[name]) : `{${name}}`));
    }
    t.english = (key) => find("en", key);
    t.has = (key) => find("en", key) !== undefined;
    return t;
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
