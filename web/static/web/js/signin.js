// Where a sign-in goes on: to `next`, or to the second step when two-factor is on. The
// second step's token is kept in sessionStorage (this tab only), never in the URL.

import { nextPath } from "./forms.js";

const KEY = "mfa-pending";

export function finishSignIn(result) {
  const next = nextPath();
  if (result.data.mfa_required) {
    sessionStorage.setItem(KEY, JSON.stringify({ token: result.data.mfa_token, methods: result.data.methods }));
    location.assign(`/login/mfa?next=${encodeURIComponent(next)}`);
    return;
  }
  location.assign(next);
}

// The pending second step: {token, methods}, or {} after a social sign-in (its cookie).
export function pendingSecondStep() {
  try {
    return JSON.parse(sessionStorage.getItem(KEY)) || {};
  } catch {
    return {};
  }
}

export function forgetSecondStep() {
  sessionStorage.removeItem(KEY);
}
