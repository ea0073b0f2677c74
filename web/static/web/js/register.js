import { api } from "./api.js";
import { fillNext, notice, onSubmit, showErrors } from "./forms.js";

const form = document.querySelector("[data-form]");
fillNext("/");

onSubmit(form, async ({ name, email, password }) => {
  const result = await api("/api/auth/register", {
    method: "POST",
    body: { name, email, password },
  });
  if (!result.ok) {
    showErrors(form, result);
    return;
  }
  // 202: mandatory verification, no session yet; 201: signed in, straight to the welcome.
  if (result.status === 202) {
    form.hidden = true;
    notice(result.data.detail);
    return;
  }
  location.assign("/onboarding");
});
