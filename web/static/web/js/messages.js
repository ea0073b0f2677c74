// The API's error codes (and OAuth's ?error= codes) in words a person reads.

const WORDS = {
  invalid_credentials: "That email and password do not match an account.",
  email_taken: "An account already uses this address. Sign in instead, or reset its password.",
  email_not_verified: "Confirm your address first: open the link we mailed you.",
  invalid_password: "That password is not right.",
  session_not_fresh: "Sign in again to do this: your sign-in is too old.",
  last_login_method: "This is your only way to sign in. Set a password or link another account first.",
  account_not_linked: "That account is not linked.",
  same_email: "That is already your address.",
  invalid_token: "This link is not valid any more. Ask for a new one.",
  token_expired: "This link has expired. Ask for a new one.",
  origin_not_trusted: "This page is not allowed to sign in here.",
  csrf_failed: "Your browser's security check failed. Reload the page and try again.",
  not_authenticated: "Sign in to continue.",
  session_expired: "Your session has expired. Sign in again.",
  session_revoked: "You were signed out. Sign in again.",
  not_found: "That no longer exists.",
  invalid_code: "That code is not right, or was used already.",
  mfa_required: "Enter a code from your authenticator app, or a recovery code.",
  invalid_mfa_token: "That sign-in took too long or too many tries. Sign in again.",
  mfa_already_enabled: "Two-factor authentication is on already.",
  mfa_setup_required: "Start the set-up again: it expired or was finished.",
  mfa_not_enabled: "Two-factor authentication is off.",
  passkey_not_recognised: "That passkey does not belong to an account here.",
  invalid_credential: "The passkey's answer was not accepted. Try again.",
  passkey_cancelled: "No passkey was used: it was cancelled or timed out.",
  passkey_unsupported: "This browser cannot use passkeys.",
  unavailable: "The service is busy or down for a moment. Try again shortly.",
  server_error: "Something went wrong on our side. Try again.",
  network: "The server could not be reached. Check your connection and try again.",
  // The OAuth callback's ?error= codes.
  access_denied: "Sign-in was cancelled at the provider.",
  invalid_state: "That sign-in took too long or came from another window. Try again.",
  provider_error: "The provider could not sign you in just now. Try again.",
  email_missing: "The provider did not share an email address, so we cannot sign you in with it.",
  email_not_verified_by_provider:
    "An account already uses this address, and the provider does not vouch for it. Sign in with your password instead.",
  account_already_linked: "That provider account is linked to another user.",
  account_disabled: "This account is disabled.",
  provider_not_configured: "That way of signing in is not available.",
};

function waitWords(seconds) {
  if (!seconds) return "a moment";
  if (seconds < 90) return `${seconds} second${seconds === 1 ? "" : "s"}`;
  return `${Math.ceil(seconds / 60)} minutes`;
}

export function errorWords(code, { retryAfter = 0, detail = "" } = {}) {
  if (code === "rate_limited") return `Too many attempts. Try again in ${waitWords(retryAfter)}.`;
  return WORDS[code] || detail || WORDS.server_error;
}

export { waitWords };
