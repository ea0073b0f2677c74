import { api, requireUser } from "./api.js";
import { nextPath, onSubmit, showErrors } from "./forms.js";

const form = document.querySelector("[data-form]");
await requireUser();

async function save(body) {
  const result = await api("/api/onboarding", { method: "PUT", body });
  if (!result.ok) {
    showErrors(form, result);
    return;
  }
  location.assign(nextPath());
}

onSubmit(form, ({ role, interests }) => save({ role, interests, completed_steps: 2, completed: true }));
form.querySelector("[data-action=skip]").addEventListener("click", () => save({ completed: true }));
form.hidden = false;
