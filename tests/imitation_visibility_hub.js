// The imitation's Visibility hub: rows drawn after the values came, each ending
// with the current value where LinkedIn shows one. HUB is set by the server.
(() => {
  const app = document.getElementById("app");
  const el = (tag, attrs, ...kids) => {
    const e = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) { if (k === "text") e.textContent = v; else e.setAttribute(k, v); }
    for (const k of kids) e.append(k);
    return e;
  };
  window.addEventListener("load", async () => {
    const keys = HUB.sections.flatMap((s) => s.rows.map((r) => r.key).filter(Boolean)).join(",");
    const r = await fetch("/voyager/api/mypreferences/settings?keys=" + keys, { credentials: "same-origin" });
    const values = await r.json();
    app.append(el("h1", { text: HUB.heading }));
    for (const s of HUB.sections) {
      const list = el("ul", {});
      for (const row of s.rows) {
        const link = el("a", { href: row.href }, el("span", { class: "row-title", text: row.title }));
        if (row.key && row.key in values) {
          const v = values[row.key];
          const words = row.options && row.options.length
            ? (row.options.find((o) => o.value === v) || { label: "" }).label
            : (v ? HUB.words.on : HUB.words.off);
          link.append(el("span", { class: "row-value", text: words }));
        }
        list.append(el("li", {}, link));
      }
      app.append(el("section", {}, el("h2", { text: s.title }), list));
    }
  });
})();
