// Waits on a page for linkedin-optout, in the document and its same-origin iframes.
// Two modes (`arg.mode`):
//  "ready":    resolves with "css:..."/"text:..." once any of arg.css / arg.texts shows,
//              or with "settled" once the page's content has rendered, nothing on it
//              says it is still loading, and it has been quiet for arg.quietMs
//              (quietMs null: never "settled"; only the things asked for count).
//  "switches": for the switches marked arg.marks: "changed" when one was replaced,
//              "ready" once none shows a placeholder sign and the page has been quiet
//              for arg.quietMs (or for arg.domQuietMs since it drew after its last answer),
//              and for arg.valueQuietMs in any case; "locked" when one is still
//              disabled (or states no value) after arg.lockMs of quiet. Until then false.
// Quiet: no DOM change (the init script quiet_observer.js keeps the time of the last
// one) and no network activity (the tool passes arg.netIdleMs, the time since its
// last request event, anchored here on the first call).
// Texts arrive folded like text.normalize; the page's text is folded the same way.
(arg) => {
  const now = performance.now();
  window.__linkedinOptoutAnchors = window.__linkedinOptoutAnchors || {};
  if (!(arg.callId in window.__linkedinOptoutAnchors)) {
    window.__linkedinOptoutAnchors[arg.callId] = now - arg.netIdleMs;
  }
  const netAt = window.__linkedinOptoutAnchors[arg.callId];
  const docs = [];
  const collect = (doc) => {
    docs.push(doc);
    for (const frame of doc.querySelectorAll("iframe")) {
      try { if (frame.contentDocument) collect(frame.contentDocument); } catch (e) { /* cross-origin */ }
    }
  };
  collect(document);
  const shown = (el) => {
    const style = el.ownerDocument.defaultView.getComputedStyle(el);
    return style.visibility !== "hidden" && style.display !== "none" && el.getClientRects().length > 0;
  };
  // Navigation, banners and live regions (toasts) are not the page's own content.
  const CHROME = "header, nav, footer, [role='banner'], [role='navigation'], [aria-live], [role='status'], [role='alert']";
  const loadingSigns = () => docs.some((doc) => arg.loadingCss.some((css) => {
    try {
      return [...doc.querySelectorAll(css)].some((el) => shown(el) && !el.closest(CHROME));
    } catch (e) { return false; }
  }));
  let lastDom = 0;
  for (const doc of docs) {
    const q = doc.defaultView && doc.defaultView.__linkedinOptoutQuiet;
    if (q && q.last > lastDom) lastDom = q.last;
  }
  const quietFor = () => now - Math.max(lastDom, netAt);

  if (arg.mode === "switches") {
    const els = [];
    for (const mark of arg.marks) {
      let el = null;
      for (const doc of docs) el = el || doc.querySelector(`[data-linkedin-optout="${mark}"]`);
      if (!el || !el.isConnected) return "changed";
      els.push(el);
    }
    const waiting = (el) => {
      if (el.indeterminate || el.closest("[aria-busy='true']")) return true;
      return arg.loadingCss.some((css) => { try { return !!el.closest(css); } catch (e) { return false; } });
    };
    // Disabled, or no on/off state yet: a placeholder for a while, or for good
    // (locked, or a control that never states its value) once the page stays quiet.
    // (A [role=radio] without aria-checked is an option not chosen: it states its value.)
    const unsure = (el) => el.disabled || el.getAttribute("aria-disabled") === "true" ||
      (el.tagName !== "INPUT" && el.getAttribute("role") !== "radio" &&
        !["true", "false"].includes(el.getAttribute("aria-checked") || ""));
    if (els.some(waiting) || loadingSigns()) return false;
    const quiet = quietFor();
    // The page has drawn since its last answer came: a short DOM quiet will do.
    const reacted = lastDom > netAt && now - lastDom >= arg.domQuietMs;
    if (quiet < arg.quietMs && !reacted) return false;
    // A switch may show a default (on or off) drawn before a value the page fetches
    // only after a pause, with no sign at all: no reading before the longer quiet.
    if (quiet < arg.valueQuietMs) return false;
    if (!els.some(unsure)) return "ready";
    return quiet >= arg.lockMs ? "locked" : false;
  }

  for (const doc of docs) {
    for (const css of arg.css) {
      try { if (doc.querySelector(css)) return "css:" + css; } catch (e) { /* bad selector */ }
    }
  }
  const fold = (s) => " " + s.normalize("NFKD").replace(/\p{M}/gu, "").toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, " ").trim() + " ";
  // Words from text nodes joined by spaces, as page_scan.js reads them. Not the
  // text of scripts or data blocks: LinkedIn embeds JSON with the labels in
  // <code> elements long before the page shows them.
  const SKIP = new Set(["SCRIPT", "STYLE", "NOSCRIPT", "TEMPLATE", "CODE"]);
  const words = (root, skipChrome) => {
    const parts = [];
    const walker = root.ownerDocument.createTreeWalker(root, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      const parent = node.parentElement;
      if (!parent || SKIP.has(parent.tagName)) continue;
      if (skipChrome && parent.closest(CHROME)) continue;
      parts.push(node.nodeValue);
    }
    return parts.join(" ");
  };
  if (arg.texts.length) {
    for (const doc of docs) {
      if (!doc.body) continue;
      const hay = fold(words(doc.body, false));
      for (const needle of arg.texts) if (hay.includes(" " + needle + " ")) return "text:" + needle;
    }
  }
  if (arg.quietMs == null) return false;
  // The page's own content has rendered: a heading, or some text beyond its navigation.
  const rendered = docs.some((doc) => doc.body && (
    [...doc.querySelectorAll("h1")].some(shown) ||
    words(doc.body, true).replace(/\s+/g, " ").trim().length >= 80));
  if (!rendered || loadingSigns() || quietFor() < arg.quietMs) return false;
  return "settled";
}
