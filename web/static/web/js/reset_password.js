import { api } from "./api.js";
import { errorWords } from "./messages.js";
import { onSubmit, showErrors, showMessage } from "./forms.js";

const form = document.querySelector("[data-form]");
const token = new URLSearchParams(location.search).get("token");

if (!token) {
  showMessage(form, errorWords("invalid_token"));
  form.querySelector("button").disabled = true;
}

onSubmit(form, async ({ password }) => {
  const result = await api("/api/auth/password/reset", {
    method: "POST",
    body: { token, new_password: password },
  });
  if (!result.ok) {
    showErrors(form, result);
    return;
  }
  location.assign("/login?reset=1");
});
