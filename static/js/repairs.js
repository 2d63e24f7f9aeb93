// Repairs: a [data-print] button prints the page (no inline handlers: the CSP forbids them).
document.addEventListener("click", (ev) => {
  const button = ev.target.closest("[data-print]");
  if (button) { window.print(); }
});
