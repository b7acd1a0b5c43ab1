// Reads one frame for linkedin-optout: switches, links, dialogs and text.
// Each element the tool may act on gets a data-linkedin-optout mark, so that a
// later click reaches exactly the element that was matched (no index guessing).
// The switch's state is also read by switcher.STATE_JS right before a click.
// Read-only otherwise. `arg`: {scanId, switchCss, radioCss, overlayCss: [], markerCss: [], signInCss,
// loadingCss: []}
(arg) => {
  const MARK = "data-linkedin-optout";
  let counter = 0;
  const mark = (el, kind) => {
    // One mark per element for the page's life: a <button role=switch> is also
    // a button, and a switch matched in one scan stays reachable after the next.
    const existing = el.getAttribute(MARK);
    if (existing) return existing;
    const id = `${arg.scanId}-${kind}${counter++}`;
    el.setAttribute(MARK, id);
    return id;
  };
  const visible = (el) => {
    const style = getComputedStyle(el);
    if (style.visibility === "hidden" || style.display === "none") return false;
    return el.getClientRects().length > 0;
  };
  // Text as words: text nodes joined by spaces. innerText glues inline
  // elements together ("…messages" + "Yes" -> "…messagesYes"), which would hide
  // a label from matching. Hidden text (closed menus) is left out.
  const SKIP = new Set(["SCRIPT", "STYLE", "NOSCRIPT", "TEMPLATE", "CODE"]);
  const shown = new Map();
  const isShown = (el) => {
    if (!shown.has(el)) {
      shown.set(el, !SKIP.has(el.tagName) &&
        (el.checkVisibility ? el.checkVisibility() : el.getClientRects().length > 0));
    }
    return shown.get(el);
  };
  const text = (root) => {
    const parts = [];
    const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      if (node.parentElement && isShown(node.parentElement)) parts.push(node.nodeValue);
    }
    return parts.join(" ").replace(/\s+/g, " ").trim();
  };
  const byId = (id) => document.getElementById(id);
  // A short accessible name: aria-labelledby, aria-label, <label>, own text, title.
  const accName = (el) => {
    const ids = (el.getAttribute("aria-labelledby") || "").split(/\s+/).filter(Boolean);
    const fromIds = ids.map((id) => (byId(id) ? text(byId(id)) : "")).join(" ").trim();
    if (fromIds) return fromIds;
    const label = (el.getAttribute("aria-label") || "").trim();
    if (label) return label;
    if (el.labels && el.labels.length) return [...el.labels].map(text).join(" ").trim();
    if (el.tagName !== "INPUT") {
      const own = text(el);
      if (own) return own;
    }
    return (el.getAttribute("title") || "").trim();
  };
  // Signs that a switch shows a placeholder drawn before the member's value arrived.
  const waiting = (el) => {
    if (el.indeterminate || el.closest("[aria-busy='true']")) return true;
    return arg.loadingCss.some((css) => { try { return !!el.closest(css); } catch (e) { return false; } });
  };
  const switchState = (el) => {
    if (el.tagName === "INPUT" && (el.type === "checkbox" || el.type === "radio")) {
      return el.checked ? "on" : "off";
    }
    const aria = el.getAttribute("aria-checked");
    if (aria === "true") return "on";
    if (aria === "false") return "off";
    return "unknown";
  };
  // A link's path; a link the page's URL cannot resolve keeps its attribute as written.
  const path = (el) => {
    const raw = el.getAttribute("href");
    if (!raw) return "";
    try { return new URL(raw, location.href).pathname; } catch (e) { return raw.split(/[?#]/)[0]; }
  };
  const switches = [...document.querySelectorAll(arg.switchCss)];
  const switchSet = new Set(switches);
  const containsOtherSwitch = (node, self) => {
    for (const other of switchSet) if (other !== self && node.contains(other)) return true;
    return false;
  };
  // The text around a switch, nearest first, stopping before an ancestor that
  // holds another switch: the switch's own row, then its section.
  const contexts = (el) => {
    const out = [];
    let node = el.parentElement;
    for (let level = 0; node && level < 6; level++, node = node.parentElement) {
      if (node === document.body || node === document.documentElement) break;
      if (containsOtherSwitch(node, el)) break;
      const t = text(node);
      if (t.length > 600) break;
      out.push(t);
    }
    return out;
  };
  // Radios, each with its group: a [role=radiogroup] or <fieldset> around it, else
  // the radios sharing its name. A group is named by its own label or legend only
  // (its text holds every option); its contexts are the text around it.
  const radios = [...document.querySelectorAll(arg.radioCss)];
  const groupBox = (el) => el.closest("[role='radiogroup'], fieldset");
  const groupName = (box) => {
    if (!box) return "";
    const ids = (box.getAttribute("aria-labelledby") || "").split(/\s+/).filter(Boolean);
    const fromIds = ids.map((id) => (byId(id) ? text(byId(id)) : "")).join(" ").trim();
    if (fromIds) return fromIds;
    const label = (box.getAttribute("aria-label") || "").trim();
    if (label) return label;
    const legend = box.tagName === "FIELDSET" ? box.querySelector(":scope > legend") : null;
    return legend ? text(legend) : "";
  };
  const boxes = new Set(radios.map(groupBox).filter(Boolean));
  const groupContexts = (box, el) => {
    const out = [];
    let node = box || el.parentElement;
    for (let level = 0; node && level < 6; level++, node = node.parentElement) {
      if (node === document.body || node === document.documentElement) break;
      let other = false;
      for (const b of boxes) if (b !== box && node.contains(b)) { other = true; break; }
      if (other || containsOtherSwitch(node, null)) break;
      const t = text(node);
      if (t.length > 600) break;
      out.push(t);
    }
    return out;
  };
  const radioChecked = (el) => el.tagName === "INPUT" ? el.checked
    : el.getAttribute("aria-checked") === "true";
  const radioLabel = (el) => (el.labels && el.labels.length ? el.labels[0] : null);
  const result = {
    url: location.href,
    lang: (document.documentElement.getAttribute("lang") || "").trim(),
    text: text(document.body || document.documentElement).slice(0, 200000),
    switches: switches.map((el) => ({
      mark: mark(el, "s"),
      labelledby: (el.getAttribute("aria-labelledby") || "").split(/\s+/).filter(Boolean),
      id: el.id || "",
      name: accName(el),
      contexts: contexts(el),
      state: switchState(el),
      disabled: !!el.disabled || el.getAttribute("aria-disabled") === "true",
      visible: visible(el),
      waiting: waiting(el) || switchState(el) === "unknown",
    })),
    radios: radios.map((el) => {
      const box = groupBox(el);
      const label = radioLabel(el);
      return {
        mark: mark(el, "r"),
        group: box ? mark(box, "g") : `name:${el.getAttribute("name") || mark(el, "r")}`,
        groupName: groupName(box),
        contexts: groupContexts(box, el),
        id: el.id || "",
        name: accName(el),
        checked: radioChecked(el),
        disabled: !!el.disabled || el.getAttribute("aria-disabled") === "true" ||
          !!(box && (box.disabled || box.getAttribute("aria-disabled") === "true")),
        visible: visible(el),
        labelMark: label ? mark(label, "t") : "",
        waiting: waiting(el),
      };
    }),
    links: [...document.querySelectorAll("a[href], [role='link'], button, [role='button']")]
      .filter((el) => text(el).length <= 300)
      .map((el) => ({
        mark: mark(el, "l"),
        href: path(el),
        text: text(el),
        visible: visible(el),
      })),
    overlays: [],
    markerHits: arg.markerCss.filter((css) => {
      try { return document.querySelector(css) !== null; } catch (e) { return false; }
    }),
    signInForm: !!document.querySelector(arg.signInCss) && !!document.querySelector("input[type='password']"),
  };
  const seen = new Set();
  for (const css of arg.overlayCss) {
    let found = [];
    try { found = [...document.querySelectorAll(css)]; } catch (e) { continue; }
    for (const box of found) {
      if (seen.has(box) || !visible(box)) continue;
      seen.add(box);
      const buttons = [...box.querySelectorAll("button, [role='button'], a[role='button']")]
        .filter(visible)
        .map((b) => ({ mark: mark(b, "b"), name: accName(b) }));
      const holdsSwitch = switches.some((sw) => box.contains(sw));
      result.overlays.push({ mark: mark(box, "o"), holdsSwitch, buttons });
    }
  }
  return result;
}
