// A copy of this frame's HTML that is safe to share in a diagnostic bundle:
// no scripts (they carry tokens), no form values, no meta tags, no token-like
// attributes, no photos, and the member's name and profile links removed.
() => {
  const root = document.documentElement.cloneNode(true);
  const drop = "script, noscript, template, meta, link[rel='preload'], input[type='hidden'], iframe";
  root.querySelectorAll(drop).forEach((el) => el.remove());
  root.querySelectorAll("#global-nav, header, [class*='global-nav__me'], img, picture, video")
    .forEach((el) => el.replaceWith(document.createTextNode("[removed]")));
  root.querySelectorAll("a[href*='/in/'], a[href*='/company/']").forEach((a) => {
    a.removeAttribute("href");
    a.textContent = "[profile link removed]";
  });
  root.querySelectorAll("input, textarea, select").forEach((el) => {
    el.removeAttribute("value");
    if (el.tagName === "TEXTAREA") el.textContent = "";
  });
  for (const el of root.querySelectorAll("*")) {
    for (const attr of [...el.attributes]) {
      const name = attr.name.toLowerCase();
      if (name.startsWith("on") || name === "data-linkedin-optout" || /token|csrf|session|auth|cookie|member|urn/.test(name)
          || attr.value.length > 300 || /urn:li:|ajax:/.test(attr.value)) {
        el.removeAttribute(attr.name);
      }
    }
  }
  return "<!doctype html>\n" + root.outerHTML;
}
