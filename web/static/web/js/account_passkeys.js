// The account page's passkeys: the list (renamed in place), adding one, removing one.

import { api } from "./api.js";
import { notice, onSubmit, showErrors } from "./forms.js";
import { createPasskey, passkeysSupported } from "./webauthn.js";

const when = (iso) => (iso ? new Date(iso).toLocaleString() : "never");

function button(label, accessible, onClick, className = "secondary small") {
  const node = document.createElement("button");
  node.type = "button";
  node.className = className;
  node.textContent = label;
  node.setAttribute("aria-label", accessible);
  node.addEventListener("click", onClick);
  return node;
}

// A labelled field in place of the name: Enter saves, Escape cancels.
function renameForm(section, passkey, done) {
  const form = document.createElement("form");
  form.className = "row";
  form.noValidate = true;
  const field = document.createElement("div");
  field.className = "field";
  const label = document.createElement("label");
  label.htmlFor = `rename-${passkey.id}`;
  label.textContent = `New name for ${passkey.name}`;
  const input = document.createElement("input");
  input.id = label.htmlFor;
  input.name = "name";
  input.type = "text";
  input.maxLength = 100;
  input.value = passkey.name;
  input.addEventListener("keydown", (event) => event.key === "Escape" && done());
  field.append(label, input);
  const save = document.createElement("button");
  save.type = "submit";
  save.className = "small";
  save.textContent = "Save";
  form.append(field, save);
  onSubmit(form, async ({ name }) => {
    const result = await api(`/api/auth/passkeys/${passkey.id}`, { method: "PATCH", body: { name } });
    if (!result.ok) return showErrors(section, result);
    notice(`The passkey is now called ${result.data.name}.`);
    done();
  });
  return [form, input];
}

export async function showPasskeys(page, proof) {
  const section = page.querySelector("[data-section=passkeys]");
  const list = section.querySelector("[data-passkeys]");
  const { ok, data } = await api("/api/auth/passkeys");
  if (!ok) return;
  const reload = () => showPasskeys(page, proof);
  list.replaceChildren(...data.passkeys.map((passkey) => {
    const item = document.createElement("li");
    const about = document.createElement("div");
    const name = document.createElement("strong");
    name.textContent = passkey.name;
    const dates = document.createElement("p");
    dates.className = "muted";
    dates.textContent = `added ${when(passkey.created_at)} · last used ${when(passkey.last_used_at)}`;
    about.append(name, dates);
    const actions = document.createElement("div");
    actions.className = "row";
    actions.append(
      button("Rename", `Rename ${passkey.name}`, () => {
        const [form, input] = renameForm(section, passkey, reload);
        about.replaceChildren(form);
        input.focus();
      }),
      button("Remove", `Remove ${passkey.name}`, async () => {
        const fields = { password: section.querySelector("#passkey_password").value, code: section.querySelector("#passkey_code").value };
        const result = await api(`/api/auth/passkeys/${passkey.id}`, { method: "DELETE", body: proof(fields) });
        if (!result.ok) return showErrors(section, result);
        notice(`${passkey.name} is removed.`);
        await reload();
      }),
    );
    item.append(about, actions);
    return item;
  }));
  section.querySelector("[data-no-passkeys]").hidden = data.passkeys.length > 0;
}

export function bindPasskeys(page, proof) {
  const section = page.querySelector("[data-section=passkeys]");
  const form = section.querySelector("[data-form=passkey-add]");
  const supported = passkeysSupported();
  form.querySelector("button[type=submit]").disabled = !supported;
  section.querySelector("[data-no-webauthn]").hidden = supported;
  onSubmit(form, async ({ name, ...fields }) => {
    const options = await api("/api/auth/passkeys/register/options", { method: "POST", body: proof(fields) });
    if (!options.ok) return showErrors(section, options);
    const made = await createPasskey(options.data);
    if (!made.ok) return showErrors(section, made);
    const result = await api("/api/auth/passkeys/register", {
      method: "POST",
      body: { credential: made.credential, name: name.trim() || "Passkey" },
    });
    if (!result.ok) return showErrors(section, result);
    form.reset();
    notice(`${result.data.name} is added: you can sign in with it.`);
    await showPasskeys(page, proof);
  });
}
