// The account page's lists: sessions, linked accounts, security events.

import { api } from "./api.js";
import { notice, showErrors } from "./forms.js";

const PROVIDERS = { google: "Google", github: "GitHub" };
const EVENTS = {
  registered: "Account created",
  registration_attempted: "Someone tried to register with your address",
  signed_in: "Signed in",
  sign_in_failed: "A sign-in failed",
  signed_out: "Signed out",
  session_revoked: "Signed out of a device",
  password_changed: "Password changed",
  password_reset_requested: "Password reset asked for",
  password_reset: "Password reset",
  email_verified: "Address confirmed",
  email_change_requested: "Change of address asked for",
  email_changed: "Address changed",
  rate_limited: "Too many attempts",
  oauth_linked: "Account linked",
  oauth_email_claimed: "Address claimed by a linked account",
  oauth_unlinked: "Account unlinked",
  oauth_unlink_refused: "Unlinking refused",
  oauth_refused: "A linked sign-in was refused",
  mfa_enabled: "Two-factor authentication turned on",
  mfa_disabled: "Two-factor authentication turned off",
  mfa_verified: "Two-factor check passed",
  mfa_failed: "A two-factor code was refused",
  recovery_codes_regenerated: "New recovery codes made",
  passkey_registered: "Passkey added",
  passkey_renamed: "Passkey renamed",
  passkey_removed: "Passkey removed",
};

const when = (iso) => new Date(iso).toLocaleString();

function row(...children) {
  const item = document.createElement("li");
  item.append(...children);
  return item;
}

function text(tag, content, className = "") {
  const node = document.createElement(tag);
  node.textContent = content;
  if (className) node.className = className;
  return node;
}

function action(label, onClick, accessible) {
  const button = text("button", label, "secondary small");
  button.type = "button";
  if (accessible) button.setAttribute("aria-label", accessible);
  button.addEventListener("click", onClick);
  return button;
}

// A person reads a browser and a system, not a user-agent string.
function device(agent) {
  if (!agent) return "Unknown device";
  const browser = (agent.match(/(Firefox|Edg|Chrome|Safari)\//) || [])[1];
  const system = (agent.match(/(Windows|Mac OS X|Android|iPhone|Linux)/) || [])[1];
  const names = { Edg: "Edge", "Mac OS X": "macOS" };
  if (!browser) return agent.slice(0, 60);
  return `${names[browser] || browser}${system ? ` on ${names[system] || system}` : ""}`;
}

export async function showSessions(page) {
  const section = page.querySelector("[data-section=sessions]");
  const list = section.querySelector("[data-sessions]");
  const { ok, data } = await api("/api/auth/sessions");
  if (!ok) return;
  list.replaceChildren();
  for (const session of data.sessions) {
    const name = device(session.user_agent);
    const about = text("div", "");
    about.append(text("strong", name));
    if (session.current) about.append(" ", text("span", "This device", "badge"));
    about.append(text("p", `${session.ip_address || "unknown address"} · last used ${when(session.last_used_at)}`, "muted"));
    const item = row(about);
    if (!session.current) {
      item.append(action("Sign out", async () => {
        await api(`/api/auth/sessions/${session.id}`, { method: "DELETE" });
        notice(`${name} is signed out.`);
        await showSessions(page);
      }, `Sign out ${name}, last used ${when(session.last_used_at)}`));
    }
    list.append(item);
  }
  section.querySelector("[data-action=revoke-others]").hidden = data.sessions.length < 2;
}

// The unlink proof's fields are the section's own, not a form's.
const UNLINK_FIELDS = {
  password: "unlink_password",
  invalid_password: "unlink_password",
  invalid_code: "unlink_code",
  mfa_required: "unlink_code",
};

export async function showLinked(page, proof) {
  const section = page.querySelector("[data-section=linked]");
  const list = section.querySelector("[data-linked]");
  const { ok, data } = await api("/api/auth/accounts");
  if (!ok) return;
  list.replaceChildren();
  const linked = new Set();
  for (const account of data.accounts) {
    const name = PROVIDERS[account.provider] || account.provider;
    linked.add(account.provider);
    list.append(row(
      text("span", `${name}, linked ${when(account.created_at)}`),
      action("Unlink", async () => {
        const fields = {
          password: section.querySelector("#unlink_password").value,
          code: section.querySelector("#unlink_code").value,
        };
        const result = await api(`/api/auth/accounts/${account.provider}`, {
          method: "DELETE",
          body: proof(fields),
        });
        if (!result.ok) return showErrors(section, result, UNLINK_FIELDS);
        notice(`${name} is unlinked.`);
        await showLinked(page, proof);
      }, `Unlink ${name}`),
    ));
  }
  section.querySelector("[data-no-linked]").hidden = data.accounts.length > 0;
  if (!data.accounts.length) {
    for (const field of section.querySelectorAll("[data-needs-password], [data-needs-code]")) field.hidden = true;
  }
  for (const form of section.querySelectorAll("[data-link]")) form.hidden = linked.has(form.dataset.link);
  for (const input of section.querySelectorAll("[data-next]")) input.value = location.href;
}

export async function showEvents(page) {
  const list = page.querySelector("[data-events]");
  const { ok, data } = await api("/api/auth/events?limit=20");
  if (!ok) return;
  list.replaceChildren(...data.events.map((event) => row(
    text("span", EVENTS[event.type] || event.type.replaceAll("_", " ")),
    text("span", `${when(event.created_at)}${event.ip_address ? ` · ${event.ip_address}` : ""}`, "muted"),
  )));
}

export function bindRevokeOthers(page) {
  page.querySelector("[data-action=revoke-others]").addEventListener("click", async () => {
    const { ok, data } = await api("/api/auth/sessions/revoke-others", { method: "POST" });
    if (ok) notice(`${data.revoked} other device${data.revoked === 1 ? " was" : "s were"} signed out.`);
    await showSessions(page);
  });
}
