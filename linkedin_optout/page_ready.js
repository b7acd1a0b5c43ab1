// Resolves once a page shows any of the things the tool waits for, in the
// document or a same-origin iframe: a CSS selector that matches, or a text.
// Texts arrive folded like selectors.normalize (lower case, no accents or
// punctuation), so the same folding is applied to the page's text here.
// `arg`: {css: [], texts: []}. Returns the first thing seen, or false.
(arg) => {
  const fold = (s) => " " + s.normalize("NFKD").replace(/\p{M}/gu, "").toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, " ").trim() + " ";
  const docs = [];
  const collect = (doc) => {
    docs.push(doc);
    for (const frame of doc.querySelectorAll("iframe")) {
      try { if (frame.contentDocument) collect(frame.contentDocument); } catch (e) { /* cross-origin */ }
    }
  };
  collect(document);
  for (const doc of docs) {
    for (const css of arg.css) {
      try { if (doc.querySelector(css)) return "css:" + css; } catch (e) { /* bad selector */ }
    }
  }
  if (!arg.texts.length) return false;
  // Words from text nodes joined by spaces, as page_scan.js reads them.
  // Not the text of scripts or data blocks: LinkedIn embeds JSON with the
  // labels in <code> elements long before the page shows them.
  const SKIP = new Set(["SCRIPT", "STYLE", "NOSCRIPT", "TEMPLATE", "CODE"]);
  const words = (root) => {
    const parts = [];
    const walker = root.ownerDocument.createTreeWalker(root, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      if (!SKIP.has(node.parentElement ? node.parentElement.tagName : "")) parts.push(node.nodeValue);
    }
    return parts.join(" ");
  };
  for (const doc of docs) {
    const body = doc.body;
    if (!body) continue;
    const hay = fold(words(body));
    for (const needle of arg.texts) if (hay.includes(" " + needle + " ")) return "text:" + needle;
  }
  return false;
}
