// What a frontend on another origin does against the API: register, me, chat, logout.

const read = async (response) => ({
  status: response.status,
  body: response.status === 204 ? null : await response.json(),
});

// Cookies: credentials included, and the CSRF token taken from the body of GET /api/auth/csrf
// (the cookie belongs to the API's origin) and sent back as X-CSRFToken.
window.cookieClient = async (api, email, password) => {
  const get = (path) => fetch(api + path, { credentials: "include" }).then(read);
  const csrf = (await get("/api/auth/csrf")).body.csrfToken;
  const post = (path, body) =>
    fetch(api + path, {
      method: "POST",
      credentials: "include",
      body: JSON.stringify(body || {}),
      headers: { "Content-Type": "application/json", "X-CSRFToken": csrf },
    }).then(read);
  const registered = await post("/api/auth/register", { email, password });
  const me = await get("/api/auth/me");
  const chat = me.status === 200 ? await post("/api/chat", { question: "What is PID control?" }) : null;
  const logout = await post("/api/auth/logout");
  const after = await get("/api/auth/me");
  return {
    registered: registered.status,
    me: me.status,
    email: me.body.user?.email,
    cited: chat?.body.answer.sources.length,
    logout: logout.status,
    after: after.status,
  };
};

// The bearer transport: the token from the sign-up's body, in the Authorization header.
window.bearerClient = async (api, email, password) => {
  const call = (method, path, token, body) =>
    fetch(api + path, {
      method,
      body: body && JSON.stringify(body),
      headers: {
        "Content-Type": "application/json",
        ...(token && { Authorization: `Bearer ${token}` }),
      },
    }).then(read);
  const registered = await call("POST", "/api/auth/register", null, {
    email,
    password,
    transport: "token",
  });
  const token = registered.body.token;
  const me = await call("GET", "/api/auth/me", token);
  const chat = await call("POST", "/api/chat", token, { question: "What is PID control?" });
  const logout = await call("POST", "/api/auth/logout", token);
  const after = await call("GET", "/api/auth/me", token);
  return {
    registered: registered.status,
    me: me.status,
    email: me.body.user?.email,
    cited: chat.body.answer.sources.length,
    logout: logout.status,
    after: after.status,
  };
};
