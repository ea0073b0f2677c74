import { api } from "./api.js";
import { errorWords } from "./messages.js";
import { fillNext, nextPath, notice, onSubmit, showErrors, showMessage } from "./forms.js";
import { finishSignIn } from "./signin.js";
import { passkeyAssertion, passkeysSupported } from "./webauthn.js";

const form = document.querySelector("[data-form]");
const query = new URLSearchParams(location.search);
const next = encodeURIComponent(nextPath());

// A social sign-in of a two-factor user lands here; its pending step is in a cookie.
if (query.has("mfa")) location.replace(`/login/mfa?next=${next}`);

fillNext(nextPath());
document.querySelector("[data-code-link]").href = `/login/code?next=${next}`;

if (query.get("error")) showMessage(form, errorWords(query.get("error")));
else if (query.has("signed_out")) notice("You are signed out.");
else if (query.has("reset")) notice("Your password was changed. Sign in with the new one.");
else if (query.has("deleted")) notice("Your account was deleted.");

onSubmit(form, async ({ email, password, remember }) => {
  const result = await api("/api/auth/login", {
    method: "POST",
    body: { email, password, remember },
  });
  if (!result.ok) {
    showErrors(form, result);
    return;
  }
  finishSignIn(result);
});

const passkeyButton = document.querySelector("[data-action=passkey]");
passkeyButton.hidden = !passkeysSupported();
passkeyButton.addEventListener("click", async () => {
  passkeyButton.disabled = true;
  try {
    const answer = await passkeyAssertion();
    if (!answer.ok) return showErrors(form, answer);
    const result = await api("/api/auth/passkeys/login", {
      method: "POST",
      body: { ...answer.passkey, remember: form.elements.remember.checked },
    });
    if (!result.ok) return showErrors(form, result);
    finishSignIn(result);
  } finally {
    passkeyButton.disabled = false;
  }
});
