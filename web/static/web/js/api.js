// The public API, called as any frontend calls it: the session cookie rides along, and every
// unsafe request carries the CSRF token from the cookie GET /api/auth/csrf sets.

const UNSAFE = new Set(["POST", "PUT", "PATCH", "DELETE"]);

function csrfCookie() {
  const match = document.cookie.match(/(?:^|;\s*)csrftoken=([^;]+)/);
  return match ? decodeURIComponent(match[1]) : "";
}

async function csrfToken() {
  if (!csrfCookie()) {
    await fetch("/api/auth/csrf", { credentials: "same-origin" });
  }
  return csrfCookie();
}

// The raw response, for the chat stream; everything else uses api().
export async function request(path, { method = "GET", body, headers = {} } = {}) {
  const sent = { Accept: "application/json", ...headers };
  if (body !== undefined) sent["Content-Type"] = "application/json";
  if (UNSAFE.has(method)) sent["X-CSRFToken"] = await csrfToken();
  return fetch(path, {
    method,
    headers: sent,
    credentials: "same-origin",
    body: body === undefined ? undefined : JSON.stringify(body),
  });
}

// { ok, status, data, retryAfter }: data is the JSON body, or {} when there is none.
export async function api(path, options) {
  let response;
  try {
    response = await request(path, options);
  } catch {
    return { ok: false, status: 0, data: { code: "network" }, retryAfter: 0 };
  }
  const text = await response.text();
  let data = {};
  try {
    data = text ? JSON.parse(text) : {};
  } catch {
    data = { code: "server_error" };
  }
  const retryAfter = Number(response.headers.get("Retry-After") || 0);
  return { ok: response.ok, status: response.status, data, retryAfter };
}

// The signed-in user, or a trip to the sign-in page that comes back here afterwards.
export async function requireUser() {
  const { ok, data } = await api("/api/auth/me");
  if (ok) return data.user;
  const back = location.pathname + location.search;
  location.assign(`/login?next=${encodeURIComponent(back)}`);
  return new Promise(() => {});
}

export async function signOut() {
  await api("/api/auth/logout", { method: "POST" });
  location.assign("/login?signed_out=1");
}

export function bindSignOut() {
  for (const button of document.querySelectorAll("[data-sign-out]")) {
    button.addEventListener("click", signOut);
  }
}
