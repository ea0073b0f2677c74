// The second step of a sign-in with two-factor on: a code, or a passkey. A password or code
// sign-in left its token in this tab's sessionStorage; a social sign-in left an HTTP-only
// cookie instead, which the request carries when no token is sent.

import { api } from "./api.js";
import { nextPath, onSubmit, showErrors } from "./forms.js";
import { forgetSecondStep, pendingSecondStep } from "./signin.js";
import { passkeyAssertion, passkeysSupported } from "./webauthn.js";

const form = document.querySelector("[data-form]");
const { token, methods } = pendingSecondStep();

async function verify(proof) {
  const result = await api("/api/auth/mfa/verify", {
    method: "POST",
    body: { mfa_token: token || undefined, ...proof },
  });
  if (!result.ok) return showErrors(form, result);
  forgetSecondStep();
  location.assign(nextPath());
}

onSubmit(form, ({ code }) => verify({ code }));

// After a social sign-in the methods are unknown: a passkey is offered, the server decides.
const passkeyButton = document.querySelector("[data-action=passkey]");
passkeyButton.hidden = !passkeysSupported() || (methods !== undefined && !methods.includes("passkey"));
passkeyButton.addEventListener("click", async () => {
  passkeyButton.disabled = true;
  try {
    const answer = await passkeyAssertion();
    if (!answer.ok) return showErrors(form, answer);
    await verify({ passkey: answer.passkey });
  } finally {
    passkeyButton.disabled = false;
  }
});
form.elements.code.focus();
