// Small behaviours that a Content-Security-Policy without inline scripts allows.
document.addEventListener("click", (event) => {
  const printButton = event.target.closest("[data-print]");
  if (printButton) {
    window.print();
  }
  const confirmButton = event.target.closest("[data-confirm]");
  if (confirmButton && !window.confirm(confirmButton.dataset.confirm)) {
    event.preventDefault();
  }
});

// The page's address changes with live searches (hx-push-url); switching language
// must come back to the same search, not to the address the page loaded with.
document.addEventListener("submit", (event) => {
  const form = event.target.closest(".language-switch");
  if (form) {
    form.querySelector("input[name=next]").value = location.pathname + location.search;
  }
});
