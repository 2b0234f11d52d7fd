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
    // The contact is where the person lives, when known, as when the form is opened
    // from the person's "Log" link; else the area stays as it was.
    const area = picker.closest("form")?.querySelector("select[name=community_area]");
    if (area && pick.dataset.area && [...area.options].some((o) => o.value === pick.dataset.area)) {
      area.value = pick.dataset.area;
    }
    search.focus();
  }
  const confirmButton = event.target.closest("[data-confirm]");
  if (confirmButton && !window.confirm(confirmButton.dataset.confirm)) {
    event.preventDefault();
  }
});

// The page's address changes with live searches (hx-push-url); switching language
// must come back to the same search, not to the address the page loaded with. (A page
// shown after a form with errors keeps the server's choice: its address takes POST only.)
// What was typed into the page's form goes along, to be filled in again on the page in
// the other language (accounts/unsent.py): a form with unsaved changes or, on a page
// shown after a refused form, the form that was sent.
document.addEventListener("submit", (event) => {
  const form = event.target.closest(".language-switch");
  if (!form) {
    return;
  }
  const afterRefusedForm = !form.hasAttribute("data-follow-address");
  if (!afterRefusedForm) {
    form.querySelector("input[name=next]").value = location.pathname + location.search;
  }
  const forms = [...document.querySelectorAll("main form[method=post]")];
  const typed =
    (afterRefusedForm && forms.find((candidate) => actionPath(candidate) === location.pathname)) ||
    forms.find(hasUnsavedChanges);
  if (typed) {
    const carried = document.createElement("input");
    carried.type = "hidden";
    carried.name = "peacehub_typed_form";
    carried.value = JSON.stringify({ action: actionPath(typed), fields: textFields(typed) });
    form.append(carried);
  }
});

function actionPath(form) {
  return new URL(form.action, location.href).pathname;
}

function textFields(form) {
  const fields = {};
  for (const [name, value] of new FormData(form)) {
    if (typeof value === "string") {
      (fields[name] ||= []).push(value);
    }
  }
  return fields;
}

// A second tap on Save while the first is on its way (a phone on a slow network)
// would save twice: two incidents, and two alerts to everyone on shift. A form is
// sent once; coming Back to the page makes it ready again.
document.addEventListener("submit", (event) => {
  const form = event.target;
  if (event.defaultPrevented || form.method !== "post" || form.target || form.matches("[hx-post]")) {
    return;
  }
  if (form.dataset.sent) {
    event.preventDefault();
    return;
  }
  form.dataset.sent = "1";
});
window.addEventListener("pageshow", () => {
  for (const form of document.querySelectorAll("form[data-sent]")) {
    delete form.dataset.sent;
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

// A form posted as the session ran out comes back filled in after signing in again
// (accounts/unsent.py). Only the form that posted to the same address is filled.
function fillUnsentForm() {
  const kept = document.getElementById("unsent-form");
  if (!kept) {
    return;
  }
  const { action, fields } = JSON.parse(kept.textContent);
  const form = [...document.querySelectorAll("form[method=post]")].find(
    (candidate) => actionPath(candidate) === action,
  );
  if (!form) {
    return;
  }
  for (const control of form.elements) {
    const values = fields[control.name];
    if (control.type === "checkbox") {
      // A box left unticked is not posted at all.
      control.checked = (values || []).includes(control.value);
    } else if (!values || control.type === "file" || control.type === "submit") {
      continue;
    } else if (control.type === "radio") {
      control.checked = values.includes(control.value);
    } else if (control.multiple) {
      for (const option of control.options) {
        option.selected = values.includes(option.value);
      }
    } else {
      const sameName = [...form.elements].filter((other) => other.name === control.name);
      const value = values[sameName.indexOf(control)];
      if (value !== undefined) {
        control.value = value;
      }
    }
  }
  // Folded parts of the form open where something was entered, to be checked.
  for (const [name, values] of Object.entries(fields)) {
    const control = form.elements.namedItem(name);
    const where = control && (control.closest ? control : control[0]).closest("details");
    if (where && values.some((value) => value !== "")) {
      where.open = true;
    }
  }
  form.querySelectorAll("[data-person-picker]").forEach(showPickedPerson);
  document.querySelector("[data-unsent-notice]").hidden = false;
}

// A person picker shows the name of the person its hidden field holds.
async function showPickedPerson(picker) {
  const picked = picker.querySelector("input[type=hidden]").value;
  const search = picker.querySelector("input[type=search]");
  if (!picked || search.value) {
    return;
  }
  const address = new URL(search.getAttribute("hx-get"), location.href);
  address.searchParams.set("id", picked);
  const response = await fetch(address, { headers: { "HX-Request": "true" } });
  const found = new DOMParser()
    .parseFromString(await response.text(), "text/html")
    .querySelector(`[data-pick="${CSS.escape(picked)}"]`);
  if (found) {
    search.value = found.dataset.name;
  }
}

// The session ended while the page was open (the alerts badge polls; see
// accounts/middleware.py). The page goes to sign-in so that an unattended phone stops
// showing records; a form with unsaved changes is posted first, to be kept for the
// same user after signing in again (accounts/unsent.py), never saved as it is.
// A page already on its way elsewhere (Sign out pressed, a form sent, a link followed)
// is not sent to sign-in on top of that by a poll that was still under way.
let leaving = false;
window.addEventListener("beforeunload", () => {
  leaving = true;
});
window.addEventListener("pageshow", () => {
  leaving = false;
});

document.addEventListener("peacehub:session-ended", (event) => {
  if (leaving) {
    return;
  }
  const unsaved = [...document.querySelectorAll("form[method=post]")].find(hasUnsavedChanges);
  if (!unsaved) {
    location.assign(event.detail.signIn);
    return;
  }
  const marker = document.createElement("input");
  marker.type = "hidden";
  marker.name = "peacehub_session_ended";
  marker.value = "1";
  unsaved.append(marker);
  HTMLFormElement.prototype.submit.call(unsaved);
});

function hasUnsavedChanges(form) {
  return [...form.elements].some((control) => {
    if (control.type === "checkbox" || control.type === "radio") {
      return control.checked !== control.defaultChecked;
    }
    if (control.tagName === "SELECT") {
      const chosenByDefault = [...control.options].some((option) => option.defaultSelected);
      return [...control.options].some(
        (option, index) =>
          option.selected !==
          (chosenByDefault ? option.defaultSelected : !control.multiple && index === 0),
      );
    }
    return control.type !== "hidden" && "defaultValue" in control && control.value !== control.defaultValue;
  });
}

if (document.readyState === "loading") {
  document.addEventListener("DOMContentLoaded", fillUnsentForm);
} else {
  fillUnsentForm();
}
