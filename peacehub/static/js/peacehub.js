// Small behaviours that a Content-Security-Policy without inline scripts allows.
document.addEventListener("click", (event) => {
  const printButton = event.target.closest("[data-print]");
  if (printButton) {
    window.print();
  }
  const pick = event.target.closest("[data-pick]");
  if (pick) {
    const picker = pick.closest("[data-person-picker]");
    picker.querySelector("input[type=hidden]").value = pick.dataset.pick;
    const search = picker.querySelector("input[type=search]");
    search.value = pick.dataset.name;
    picker.querySelector(".picker-results").replaceChildren();
    search.focus();
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

// Typing in a person picker forgets the person picked before: a changed name must
// never be saved against the previous person.
document.addEventListener("input", (event) => {
  const picker = event.target.closest("[data-person-picker]");
  if (picker && event.target.type === "search") {
    picker.querySelector("input[type=hidden]").value = "";
  }
});
