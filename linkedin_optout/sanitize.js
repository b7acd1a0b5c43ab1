// A copy of this frame's HTML that is safe to share in a diagnostic bundle:
// the page's structure (tags, roles, ids, aria-labelledby, visible labels) stays,
// which is what a selector file needs; what could identify the member or carry
// a token goes: scripts and <code> blocks (LinkedIn embeds JSON data in them),
// comments, form values, meta tags, styles, photos, profile links, query strings
// of URLs, names in aria-label/alt/title, and, in every text and attribute that
// stays, whatever `rules` (privacy.py: e-mails, phones, urns, tokens, the
// member's name and ids) match.
(rules) => {
  const compiled = (rules || []).map((r) => ({ ...r, re: new RegExp(r.source, r.ignoreCase ? "gi" : "g") }));
  const digits = (text) => (text.match(/\d/g) || []).length;
  const scrub = (text) => compiled.reduce((out, r) => out.replace(r.re, (match, prefix) =>
    (r.minDigits && digits(match) < r.minDigits ? match : (r.keepPrefix ? prefix : "") + r.replacement)), text);

  const root = document.documentElement.cloneNode(true);
  const drop = "script, noscript, template, code, meta, link, style, input[type='hidden'], iframe";
  root.querySelectorAll(drop).forEach((el) => el.remove());
  root.querySelectorAll("#global-nav, header, [class*='global-nav__me'], img, picture, video, image")
    .forEach((el) => el.replaceWith(document.createTextNode("[removed]")));
  root.querySelectorAll("a[href*='/in/'], a[href*='/company/']").forEach((a) => {
    a.removeAttribute("href");
    a.textContent = "[profile link removed]";
  });
  root.querySelectorAll("textarea").forEach((el) => { el.textContent = ""; });
  const urlAttrs = new Set(["href", "src", "action", "formaction", "data", "poster", "cite"]);
  const keepLabel = (el) => /^(INPUT|BUTTON|SELECT)$/.test(el.tagName) || el.hasAttribute("role");
  for (const el of root.querySelectorAll("*")) {
    for (const attr of [...el.attributes]) {
      const name = attr.name.toLowerCase();
      const value = attr.value;
      if (urlAttrs.has(name)) {
        // Keep the path (it says which page a link leads to), never the query.
        el.setAttribute(attr.name, scrub(value.split(/[?#]/)[0]));
        continue;
      }
      if (
        name.startsWith("on") || name === "value" || name === "style" || name === "srcset" ||
        name.startsWith("data-linkedin-optout") ||
        ((name === "aria-label" || name === "alt" || name === "title") && !keepLabel(el)) ||
        /token|csrf|session|auth|cookie|member|urn|entity|tracking/.test(name) ||
        value.length > 300 || /urn:li:|ajax(:|%3a)/i.test(value)
      ) {
        el.removeAttribute(attr.name);
      } else {
        const clean = scrub(value);
        if (clean !== value) el.setAttribute(attr.name, clean);
      }
    }
  }
  const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT | NodeFilter.SHOW_COMMENT);
  const comments = [];
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    if (node.nodeType === Node.COMMENT_NODE) comments.push(node);
    else node.nodeValue = scrub(node.nodeValue);
  }
  comments.forEach((node) => node.remove());
  return "<!doctype html>\n" + root.outerHTML;
}
