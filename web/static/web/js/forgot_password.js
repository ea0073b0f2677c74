import { api } from "./api.js";
import { notice, onSubmit, showErrors } from "./forms.js";

const form = document.querySelector("[data-form]");

onSubmit(form, async ({ email }) => {
  const result = await api("/api/auth/password/forgot", { method: "POST", body: { email } });
  if (!result.ok) {
    showErrors(form, result);
    return;
  }
  notice(`${result.data.detail} Check your inbox.`);
  form.reset();
});
