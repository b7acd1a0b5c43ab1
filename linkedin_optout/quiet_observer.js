// Init script (every document and frame, before the page's own scripts): keeps the
// time of the page's last DOM change, so the tool can tell a page that is still
// drawing from one that has settled. Changes the tool makes itself (its marks, the
// outline of --headed) and changes inside live regions (toasts) do not count.
(() => {
  if (window.__linkedinOptoutQuiet) return;
  const state = { last: performance.now() };
  Object.defineProperty(window, "__linkedinOptoutQuiet", { value: state });
  const OWN = new Set(["data-linkedin-optout", "style"]);
  const LIVE = "[aria-live], [role='status'], [role='alert'], [role='timer'], [role='marquee']";
  const inLive = (node) => {
    const el = node && (node.nodeType === 1 ? node : node.parentElement);
    return !!(el && el.closest && el.closest(LIVE));
  };
  const counts = (record) => {
    if (record.type === "attributes") return !OWN.has(record.attributeName) && !inLive(record.target);
    if (record.type === "characterData") return !inLive(record.target);
    const nodes = [...record.addedNodes, ...record.removedNodes];
    if (!nodes.length) return false;
    // A toast added to or removed from <body> is a live region itself.
    return !nodes.every((n) => inLive(n) || (n.nodeType === 1 && n.matches && n.matches(LIVE)));
  };
  new MutationObserver((records) => {
    if (records.some(counts)) state.last = performance.now();
  }).observe(document, { subtree: true, childList: true, attributes: true, characterData: true });
})();
