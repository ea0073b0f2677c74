import { api, bindSignOut, requireUser } from "./api.js";
import { notice, onSubmit, showErrors } from "./forms.js";
import { bindRevokeOthers, showEvents, showLinked, showSessions } from "./account_lists.js";
import { bindMfa, showMfa } from "./account_mfa.js";
import { bindPasskeys, showPasskeys } from "./account_passkeys.js";

const page = document.querySelector("[data-app]");
const section = (name) => page.querySelector(`[data-section=${name}]`);
const form = (name) => page.querySelector(`[data-form=${name}]`);

bindSignOut();
let user = await requireUser();

function showUser() {
  section("profile").querySelector("[data-email]").textContent = user.email;
  const badge = section("profile").querySelector("[data-verified]");
  badge.textContent = user.email_verified ? "Confirmed" : "Not confirmed";
  badge.classList.toggle("warn", !user.email_verified);
  section("profile").querySelector("[data-unverified]").hidden = user.email_verified;
  form("name").elements.name.value = user.name;
  // Users without a password prove themselves by a recent sign-in instead of typing one.
  for (const field of page.querySelectorAll("[data-needs-password]")) field.hidden = !user.has_password;
  section("password").querySelector("[data-no-password]").hidden = user.has_password;
  form("password").hidden = !user.has_password;
}

// What a sensitive action sends: the password from users who have one, the code while
// two-factor is on (the API answers mfa_required without it).
let mfa = { totp: false };
const proof = ({ password, code }) => ({
  password: user.has_password ? password : undefined,
  code: mfa.totp && code ? code.trim() : undefined,
});

async function showSecondFactors() {
  const { ok, data } = await api("/api/auth/mfa");
  if (ok) mfa = data;
  for (const field of page.querySelectorAll("[data-needs-code]")) field.hidden = !mfa.totp;
  showMfa(page, mfa);
}

async function refresh() {
  await Promise.all([
    showSessions(page),
    showLinked(page, proof),
    showPasskeys(page, proof),
    showEvents(page),
  ]);
}

onSubmit(form("name"), async ({ name }) => {
  const result = await api("/api/auth/me", { method: "PATCH", body: { name } });
  if (!result.ok) return showErrors(form("name"), result);
  user = result.data.user;
  showUser();
  notice("Your name is saved.");
});

section("profile").querySelector("[data-action=resend]").addEventListener("click", async () => {
  const result = await api("/api/auth/email/resend", { method: "POST" });
  if (!result.ok) return showErrors(section("profile"), result);
  notice(result.data.detail);
});

onSubmit(form("password"), async (fields) => {
  const result = await api("/api/auth/password/change", { method: "POST", body: fields });
  if (!result.ok) return showErrors(form("password"), result, { invalid_password: "current_password" });
  form("password").reset();
  const revoked = result.data.revoked_sessions;
  notice(`Your password is changed.${revoked ? ` ${revoked} other device${revoked === 1 ? " was" : "s were"} signed out.` : ""}`);
  await refresh();
});

onSubmit(form("address"), async ({ new_email, ...fields }) => {
  const result = await api("/api/auth/email/change", {
    method: "POST",
    body: { new_email, ...proof(fields) },
  });
  if (!result.ok) return showErrors(form("address"), result);
  form("address").reset();
  notice(result.data.detail);
  await refresh();
});

onSubmit(form("delete"), async ({ confirm, ...fields }) => {
  if (!confirm) {
    return showErrors(form("delete"), {
      data: { code: "invalid", confirm: ["Tick this box to delete your account."] },
    });
  }
  const result = await api("/api/auth/me", { method: "DELETE", body: proof(fields) });
  if (!result.ok) return showErrors(form("delete"), result);
  location.assign("/login?deleted=1");
});

showUser();
bindRevokeOthers(page);
// In turn: the lists hide the proof fields they do not need after the status shows them.
bindMfa(page, {
  proof,
  changed: async () => {
    await showSecondFactors();
    await refresh();
  },
});
bindPasskeys(page, proof);
await showSecondFactors();
page.hidden = false;
await refresh();
