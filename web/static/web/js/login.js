import { api } from "./api.js";
import { errorWords } from "./messages.js";
import { fillNext, nextPath, notice, onSubmit, showErrors, showMessage } from "./forms.js";

const form = document.querySelector("[data-form]");
const query = new URLSearchParams(location.search);
fillNext(nextPath());

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
  location.assign(nextPath());
});
