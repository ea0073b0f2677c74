// The account page's two-factor section: set up (password, QR code, first code), recovery
// codes shown once, new codes, turning off.

import { api } from "./api.js";
import { notice, onSubmit, showErrors } from "./forms.js";

const part = (section, name) => section.querySelector(`[data-${name}]`);

export function showMfa(page, status) {
  const section = page.querySelector("[data-section=mfa]");
  part(section, "mfa-status").textContent = status.totp
    ? `On. ${status.recovery_codes_left} recovery code${status.recovery_codes_left === 1 ? "" : "s"} left.`
    : "Off.";
  section.querySelector("[data-form=mfa-setup]").hidden = status.totp || !part(section, "mfa-enroll").hidden;
  part(section, "mfa-on").hidden = !status.totp;
}

// The QR code is our own server's SVG, shown as an image: never parsed into the page.
const svgImage = (svg) => `data:image/svg+xml;charset=utf-8,${encodeURIComponent(svg)}`;

function showCodes(section, codes) {
  const list = part(section, "codes");
  list.replaceChildren(...codes.map((code) => {
    const item = document.createElement("li");
    item.textContent = code;
    return item;
  }));
  part(section, "recovery").hidden = false;
  section.querySelector("#recovery-title").focus();
}

function download(codes) {
  const text = `Recovery codes for ${location.host}. Each works once.\n\n${codes.join("\n")}\n`;
  const link = document.createElement("a");
  link.href = URL.createObjectURL(new Blob([text], { type: "text/plain" }));
  link.download = "recovery-codes.txt";
  link.click();
  setTimeout(() => URL.revokeObjectURL(link.href), 1000);
}

// `proof(fields)` is the step-up body of a sensitive action; `changed()` reloads the status.
export function bindMfa(page, { proof, changed }) {
  const section = page.querySelector("[data-section=mfa]");
  const form = (name) => section.querySelector(`[data-form=${name}]`);
  const enroll = part(section, "mfa-enroll");
  let codes = [];

  onSubmit(form("mfa-setup"), async (fields) => {
    const result = await api("/api/auth/mfa/totp/setup", { method: "POST", body: proof(fields) });
    if (!result.ok) return showErrors(form("mfa-setup"), result);
    form("mfa-setup").reset();
    form("mfa-setup").hidden = true;
    part(section, "qr").src = svgImage(result.data.qr_svg);
    part(section, "secret").textContent = result.data.secret;
    enroll.hidden = false;
    form("mfa-confirm").elements.code.focus();
  });

  onSubmit(form("mfa-confirm"), async ({ code }) => {
    const result = await api("/api/auth/mfa/totp/confirm", { method: "POST", body: { code: code.trim() } });
    if (!result.ok) return showErrors(form("mfa-confirm"), result);
    form("mfa-confirm").reset();
    enroll.hidden = true;
    codes = result.data.recovery_codes;
    notice("Two-factor authentication is on.");
    await changed();
    showCodes(section, codes);
  });

  onSubmit(form("mfa-codes"), async (fields) => {
    const result = await api("/api/auth/mfa/recovery-codes", { method: "POST", body: proof(fields) });
    if (!result.ok) return showErrors(form("mfa-codes"), result);
    form("mfa-codes").reset();
    codes = result.data.recovery_codes;
    notice("You have new recovery codes; the old ones stopped working.");
    await changed();
    showCodes(section, codes);
  });

  onSubmit(form("mfa-off"), async (fields) => {
    const result = await api("/api/auth/mfa/totp", { method: "DELETE", body: proof(fields) });
    if (!result.ok) return showErrors(form("mfa-off"), result);
    form("mfa-off").reset();
    part(section, "recovery").hidden = true;
    notice("Two-factor authentication is off. Your other devices are signed out.");
    await changed();
  });

  section.querySelector("[data-action=download]").addEventListener("click", () => download(codes));
  section.querySelector("[data-action=print]").addEventListener("click", () => window.print());
  section.querySelector("[data-action=saved]").addEventListener("click", () => {
    part(section, "recovery").hidden = true;
    part(section, "codes").replaceChildren();
    codes = [];
  });
}
