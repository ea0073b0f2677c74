// Forms: their values, the API's errors shown beside the field they concern, busy buttons.

import { errorWords } from "./messages.js";

export function values(form) {
  const out = {};
  for (const element of form.elements) {
    if (!element.name || element.type === "submit") continue;
    if (element.type === "checkbox") {
      if (form.querySelectorAll(`[name="${element.name}"]`).length > 1) {
        out[element.name] = out[element.name] || [];
        if (element.checked) out[element.name].push(element.value);
      } else {
        out[element.name] = element.checked;
      }
    } else {
      out[element.name] = element.value;
    }
  }
  return out;
}

function fieldError(input) {
  const id = `${input.id}-error`;
  let note = document.getElementById(id);
  if (!note) {
    note = document.createElement("p");
    note.id = id;
    note.className = "field-error";
    input.closest(".field").append(note);
    const described = input.getAttribute("aria-describedby");
    input.setAttribute("aria-describedby", described ? `${described} ${id}` : id);
  }
  return note;
}

export function clearErrors(root) {
  for (const note of root.querySelectorAll(".field-error")) note.textContent = "";
  for (const input of root.querySelectorAll("[aria-invalid]")) input.removeAttribute("aria-invalid");
  const banner = root.querySelector("[data-form-error]");
  if (banner) {
    banner.textContent = "";
    banner.hidden = true;
  }
}

export function showMessage(root, text) {
  const banner = root.querySelector("[data-form-error]");
  banner.textContent = text;
  banner.hidden = false;
}

// Error codes that are about one field, said beside it rather than above the form.
const CODE_FIELDS = {
  email_taken: "email",
  same_email: "new_email",
  invalid_password: "password",
  invalid_code: "code",
  mfa_required: "code",
};

// A 400 field map goes beside its fields, and so does a code about one field (`aliases` maps
// an API key or code to another input's name); anything else is said once, in words, at the
// top of the form.
export function showErrors(root, result, aliases = {}) {
  clearErrors(root);
  const { data, retryAfter } = result;
  let shown = false;
  let first = null;
  const codeField = aliases[data.code] || CODE_FIELDS[data.code];
  const codeInput = codeField && root.querySelector(`[name="${codeField}"]`);
  if (codeInput && codeInput.id && !codeInput.closest("[hidden]")) {
    fieldError(codeInput).textContent = errorWords(data.code, { retryAfter, detail: data.detail });
    codeInput.setAttribute("aria-invalid", "true");
    first = codeInput;
    shown = true;
  } else if (data.code === "invalid") {
    for (const [key, messages] of Object.entries(data)) {
      if (key === "code" || !Array.isArray(messages)) continue;
      const input = root.querySelector(`[name="${aliases[key] || key}"]`);
      if (!input || !input.id) continue;
      fieldError(input).textContent = messages.join(" ");
      input.setAttribute("aria-invalid", "true");
      first = first || input;
      shown = true;
    }
  }
  if (!shown) {
    const general = data.non_field_errors ? data.non_field_errors.join(" ") : "";
    showMessage(root, general || errorWords(data.code, { retryAfter, detail: data.detail }));
  }
  if (first) first.focus();
}

// Submit handler: the button is busy while the request runs; a failure shows its errors.
export function onSubmit(form, handle) {
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const button = form.querySelector("button[type=submit]");
    button.disabled = true;
    clearErrors(form);
    try {
      await handle(values(form));
    } finally {
      button.disabled = false;
    }
  });
}

export function notice(text) {
  const element = document.querySelector("[data-notice]");
  element.textContent = text;
  element.hidden = !text;
}

// Only a path on this site: `?next=https://evil.example` must not send anyone away.
export function nextPath(fallback = "/") {
  const next = new URLSearchParams(location.search).get("next") || "";
  return next.startsWith("/") && !next.startsWith("//") ? next : fallback;
}

// OAuth buttons come back to this page's `next`, on this site.
export function fillNext(path) {
  for (const input of document.querySelectorAll("[data-next]")) {
    input.value = new URL(path, location.origin).href;
  }
}
