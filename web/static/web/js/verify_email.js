import { api } from "./api.js";
import { errorWords } from "./messages.js";
import { notice } from "./forms.js";

// Nothing is posted on page load: a mail scanner opening the link must not confirm or delete.
const query = new URLSearchParams(location.search);
const token = query.get("token");
const page = document.querySelector("main");
const section = page.querySelector(query.get("disown") ? "[data-disown]" : "[data-confirm]");

function fail(result) {
  const banner = page.querySelector("[data-form-error]");
  banner.textContent = errorWords(result.data.code, result);
  banner.hidden = false;
}

if (!token) fail({ data: { code: "invalid_token" } });
else section.hidden = false;

section.querySelector("button").addEventListener("click", async (event) => {
  event.target.disabled = true;
  const disown = Boolean(query.get("disown"));
  const result = await api(disown ? "/api/auth/email/disown" : "/api/auth/email/verify", {
    method: "POST",
    body: { token },
  });
  if (!result.ok) {
    event.target.disabled = false;
    fail(result);
    return;
  }
  section.hidden = true;
  notice(disown
    ? "That account is deleted. Your address is free again."
    : `Your address ${result.data.user.email} is confirmed. Thank you.`);
});
