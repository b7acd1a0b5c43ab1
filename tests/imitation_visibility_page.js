// The imitation's settings page (tests/imitation_visibility.py): drawn by script
// after load. Asks for the member's values (GET), draws the controls, saves each
// change by a background POST with the csrf-token header, shows a toast, and
// reverts a control whose save failed. SPEC is set by the server.
(() => {
  const app = document.getElementById("app");
  const csrf = () => {
    const m = document.cookie.match(/(?:^|;\s*)JSESSIONID=("?)([^;"]*)\1/);
    return m ? m[2] : "";
  };
  const W = SPEC.words;
  let values = null;
  const el = (tag, attrs, ...kids) => {
    const e = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) {
      if (k === "text") e.textContent = v; else if (v !== null && v !== undefined) e.setAttribute(k, v);
    }
    for (const k of kids) e.append(k);
    return e;
  };
  const toast = (text) => {
    const t = el("div", { class: "toast", text });
    document.getElementById("toasts").append(t);
    setTimeout(() => t.remove(), 4000);
  };
  const save = async (key, value, revert) => {
    let ok = false;
    try {
      const r = await fetch("/voyager/api/mypreferences/settings", {
        method: "POST",
        headers: { "content-type": "application/json", "csrf-token": csrf() },
        body: JSON.stringify({ key, value }),
        credentials: "same-origin",
      });
      ok = r.ok;
    } catch (e) { ok = false; }
    if (ok) { values[key] = value; if (SPEC.toast) toast(W.saved); }
    else { revert(); toast(W.failed); }
  };
  let uid = 0;
  const choice = (c, current, placeholder) => {
    const qid = "q-" + c.key;
    const box = el("div", { class: "setting-card" }, el("p", { id: qid, class: "question", text: c.question }));
    const disabled = placeholder === "disabled-default";
    const style = SPEC.style;
    const rows = [];
    const select = (value) => {
      for (const r of rows) r.set(r.value === value);
    };
    const pick = (value) => {
      if (values === null || value === values[c.key]) { select(values ? values[c.key] : current); return; }
      const was = values[c.key];
      select(value);
      save(c.key, value, () => select(was));
    };
    if (style === "aria" || style === "aria-sparse") {
      const group = el("div", { role: "radiogroup", "aria-labelledby": qid });
      for (const o of c.options) {
        const r = el("div", { role: "radio", tabindex: "0", "data-value": o.value, text: o.label });
        if (o.id) r.id = o.id;
        if (disabled) r.setAttribute("aria-disabled", "true");
        r.addEventListener("click", () => { if (!disabled) pick(o.value); });
        rows.push({ value: o.value, set: (on) => {
          if (on) r.setAttribute("aria-checked", "true");
          else if (style === "aria") r.setAttribute("aria-checked", "false");
          else r.removeAttribute("aria-checked");
        } });
        group.append(r);
      }
      box.append(group);
    } else if (style === "wrapped") {
      const group = el("div", { role: "radiogroup", "aria-labelledby": qid });
      for (const o of c.options) {
        const lid = "opt-label-" + (uid++);
        const input = el("input", { type: "radio", name: c.key, id: o.id || null, "aria-labelledby": lid, tabindex: "-1" });
        input.disabled = disabled;
        const wrap = el("div", { class: "choice-row" }, input, el("span", { class: "dot" }), el("span", { id: lid, text: o.label }));
        wrap.addEventListener("click", (ev) => { ev.preventDefault(); if (!disabled) pick(o.value); });
        rows.push({ value: o.value, set: (on) => { input.checked = on; wrap.classList.toggle("on", on); } });
        group.append(wrap);
      }
      box.append(group);
    } else {
      const fs = el("fieldset", {}, el("legend", { text: c.question }));
      box.firstChild.remove();
      for (const o of c.options) {
        const id = o.id || ("radio-" + c.key + "-" + (uid++));
        const input = el("input", { type: "radio", name: c.key, id, value: o.value });
        input.disabled = disabled;
        input.addEventListener("change", () => { if (input.checked) pick(o.value); });
        rows.push({ value: o.value, set: (on) => { input.checked = on; } });
        fs.append(el("div", { class: "radio-row" }, input, el("label", { for: id, text: o.label })));
      }
      box.append(fs);
    }
    select(current);
    return box;
  };
  const toggle = (c, current, placeholder) => {
    const lid = c.key;
    const input = el("input", { type: "checkbox", role: "switch", "aria-labelledby": lid, id: "ember" + (uid++) });
    const disabled = placeholder === "disabled-default";
    input.disabled = disabled;
    const stateText = el("span", { class: "state" });
    const set = (on) => { input.checked = on; stateText.textContent = on ? W.on : W.off; wrap && wrap.classList.toggle("on", on); };
    let wrap = null;
    const flip = () => {
      if (values === null || disabled) return;
      const was = values[c.key];
      set(!was);
      save(c.key, !was, () => set(was));
    };
    let control;
    if (SPEC.style === "wrapped") {
      wrap = el("div", { class: "toggle-wrap" }, input, el("span", { class: "track" }));
      wrap.addEventListener("click", (ev) => { ev.preventDefault(); flip(); });
      control = wrap;
    } else {
      input.addEventListener("change", () => { set(!input.checked); flip(); });
      control = input;
    }
    set(current);
    return el("div", { class: "setting-card" }, el("p", { id: lid, text: c.question }), control, stateText);
  };
  const draw = (placeholder) => {
    const shown = placeholder ? null : values;
    const cards = SPEC.controls.map((c) => {
      const current = shown ? shown[c.key] : (placeholder === "busy-none" ? null : c.default);
      return c.choice ? choice(c, current, placeholder) : toggle(c, current, placeholder);
    });
    const content = el("section", { class: "settings-content" }, el("h1", { text: SPEC.heading }), ...cards);
    if (placeholder === "busy-none") content.setAttribute("aria-busy", "true");
    for (const old of app.querySelectorAll("section.settings-content")) old.remove();
    app.append(content);
  };
  const load = async () => {
    const keys = SPEC.controls.map((c) => c.key).join(",");
    const r = await fetch("/voyager/api/mypreferences/settings?keys=" + keys, {
      headers: { "csrf-token": csrf() }, credentials: "same-origin" });
    values = await r.json();
    draw("");
  };
  window.addEventListener("load", () => {
    if (SPEC.placeholder) draw(SPEC.placeholder);
    setTimeout(load, SPEC.pauseMs);
  });
})();
