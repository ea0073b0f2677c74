// Sign-in by emailed code. The mailed link fills both fields but posts nothing by itself: a
// mail scanner opening the link must not spend the code.

import { api } from "./api.js";
import { nextPath, notice, onSubmit, showErrors } from "./forms.js";
import { finishSignIn } from "./signin.js";

const request = document.querySelector("[data-form=request]");
const verify = document.querySelector("[data-form=verify]");
const query = new URLSearchParams(location.search);
document.querySelector("[data-password-link]").href = `/login?next=${encodeURIComponent(nextPath())}`;

function askForCode(email) {
  verify.elements.email.value = email;
  request.hidden = true;
  verify.hidden = false;
}

onSubmit(request, async ({ email }) => {
  const result = await api("/api/auth/code/request", { method: "POST", body: { email } });
  if (!result.ok) return showErrors(request, result, { email: "email" });
  askForCode(email);
  notice(result.data.detail);
  verify.elements.code.focus();
});

onSubmit(verify, async ({ email, code, remember }) => {
  const result = await api("/api/auth/code/verify", {
    method: "POST",
    body: { email, code: code.trim(), remember },
  });
  if (!result.ok) return showErrors(verify, result, { invalid_code: "code" });
  finishSignIn(result);
});

verify.querySelector("[data-action=again]").addEventListener("click", () => {
  request.elements.email.value = verify.elements.email.value;
  verify.hidden = true;
  request.hidden = false;
  notice("");
  request.elements.email.focus();
});

if (query.get("email")) {
  askForCode(query.get("email"));
  verify.elements.code.value = query.get("code") || "";
  verify.querySelector("button[type=submit]").focus();
}
