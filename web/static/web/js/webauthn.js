// WebAuthn's JSON and its binary: the server speaks base64url, navigator.credentials speaks
// ArrayBuffers. Both ceremonies (creating a passkey, answering a challenge) go through here.

import { api } from "./api.js";

export const passkeysSupported = () => Boolean(window.PublicKeyCredential && navigator.credentials);

export function toBuffer(base64url) {
  const base64 = base64url.replaceAll("-", "+").replaceAll("_", "/");
  const binary = atob(base64.padEnd(Math.ceil(base64.length / 4) * 4, "="));
  return Uint8Array.from(binary, (char) => char.charCodeAt(0)).buffer;
}

export function toBase64url(buffer) {
  const binary = String.fromCharCode(...new Uint8Array(buffer));
  return btoa(binary).replaceAll("+", "-").replaceAll("/", "_").replace(/=+$/, "");
}

const withIds = (list = []) => list.map((item) => ({ ...item, id: toBuffer(item.id) }));

function creationOptions(json) {
  return {
    ...json,
    challenge: toBuffer(json.challenge),
    user: { ...json.user, id: toBuffer(json.user.id) },
    excludeCredentials: withIds(json.excludeCredentials),
  };
}

function requestOptions(json) {
  const { challenge_id: _unused, ...options } = json;
  return {
    ...options,
    challenge: toBuffer(options.challenge),
    allowCredentials: withIds(options.allowCredentials),
  };
}

// What PublicKeyCredential.toJSON() gives, for browsers that lack it.
function credentialJSON(credential) {
  const { response } = credential;
  const fields = { clientDataJSON: toBase64url(response.clientDataJSON) };
  if (response.attestationObject) {
    fields.attestationObject = toBase64url(response.attestationObject);
    fields.transports = response.getTransports ? response.getTransports() : [];
  } else {
    fields.authenticatorData = toBase64url(response.authenticatorData);
    fields.signature = toBase64url(response.signature);
    if (response.userHandle) fields.userHandle = toBase64url(response.userHandle);
  }
  return {
    id: credential.id,
    rawId: toBase64url(credential.rawId),
    type: credential.type,
    authenticatorAttachment: credential.authenticatorAttachment || undefined,
    clientExtensionResults: credential.getClientExtensionResults(),
    response: fields,
  };
}

// The browser's refusal (cancelled, timed out, no passkey) as a result shaped like api()'s.
function refused(error) {
  return { ok: false, status: 0, data: { code: error.name === "NotAllowedError" ? "passkey_cancelled" : "passkey_unsupported" } };
}

// A new passkey from creation options the server gave: { ok, credential } or a refusal.
export async function createPasskey(json) {
  try {
    const credential = await navigator.credentials.create({ publicKey: creationOptions(json) });
    return { ok: true, credential: credentialJSON(credential) };
  } catch (error) {
    return refused(error);
  }
}

// One of the person's passkeys answering a fresh sign-in challenge:
// { ok, passkey: {challenge_id, credential} }, or a failure shaped like api()'s.
export async function passkeyAssertion() {
  if (!passkeysSupported()) return refused({ name: "NotSupportedError" });
  const options = await api("/api/auth/passkeys/login/options", { method: "POST" });
  if (!options.ok) return options;
  try {
    const credential = await navigator.credentials.get({ publicKey: requestOptions(options.data) });
    return { ok: true, passkey: { challenge_id: options.data.challenge_id, credential: credentialJSON(credential) } };
  } catch (error) {
    return refused(error);
  }
}
