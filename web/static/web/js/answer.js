// One exchange on the page: the question, and the answer as it streams in, with each [n]
// a button that opens the cited passage.

import { request } from "./api.js";

const GENERATORS = {
  extractive: "Quoted from the book",
  llm: "Written by a language model from the book's passages",
};

function element(tag, className, text) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}

function openSource(source, number) {
  const dialog = document.querySelector("[data-source]");
  dialog.querySelector("[data-source-title]").textContent =
    `[${number}] ${source.heading_path.join(" › ")}`;
  dialog.querySelector("[data-source-file]").textContent = source.file;
  dialog.querySelector("[data-source-text]").textContent = source.snippet;
  dialog.showModal();
}

// The answer's text, its [n] markers as buttons naming the passage they cite.
function renderText(target, text, sources) {
  target.replaceChildren();
  for (const part of text.split(/(\[\d+\])/)) {
    const cited = part.match(/^\[(\d+)\]$/);
    const source = cited && sources[Number(cited[1]) - 1];
    if (!source) {
      target.append(part);
      continue;
    }
    const button = element("button", "cite", cited[1]);
    button.type = "button";
    button.setAttribute("aria-label", `Source ${cited[1]}: ${source.heading_path.join(", ")}`);
    button.addEventListener("click", () => openSource(source, cited[1]));
    target.append(button);
  }
}

export function questionBubble(text) {
  const bubble = element("div", "message question");
  bubble.append(element("p", "", text));
  return bubble;
}

export function answerBubble() {
  const bubble = element("article", "message answer");
  const body = element("p", "answer-text");
  const meta = element("p", "meta");
  bubble.append(body, meta);
  bubble.setAttribute("aria-busy", "true");
  return {
    bubble,
    show(text, sources) {
      renderText(body, text, sources);
    },
    finish(generator) {
      bubble.removeAttribute("aria-busy");
      meta.textContent = GENERATORS[generator] || "";
    },
  };
}

export function storedAnswer(message) {
  const view = answerBubble();
  view.show(message.content, message.sources);
  view.finish(message.generator);
  return view.bubble;
}

// Server-sent events from a POST: fetch's body, split into events as they arrive.
async function* events(response) {
  const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
  let buffer = "";
  for (;;) {
    const { value, done } = await reader.read();
    if (done) return;
    buffer += value;
    let end;
    while ((end = buffer.indexOf("\n\n")) >= 0) {
      const block = buffer.slice(0, end);
      buffer = buffer.slice(end + 2);
      const name = block.match(/^event: (.*)$/m);
      const data = block.match(/^data: (.*)$/m);
      if (name && data) yield { event: name[1], data: JSON.parse(data[1]) };
    }
  }
}

// Ask, and show the answer as it comes. Resolves to {ok, done} or {ok: false, result-like}.
export async function ask(path, body, view) {
  const response = await request(path, {
    method: "POST",
    body: { ...body, stream: true },
    headers: { "Idempotency-Key": crypto.randomUUID() },
  });
  if (!(response.headers.get("Content-Type") || "").startsWith("text/event-stream")) {
    const data = await response.json().catch(() => ({ code: "server_error" }));
    return { ok: false, status: response.status, data, retryAfter: Number(response.headers.get("Retry-After") || 0) };
  }
  let text = "";
  let sources = [];
  for await (const { event, data } of events(response)) {
    if (event === "sources") sources = data.sources;
    else if (event === "delta") text += data.text;
    else if (event === "reset") text = "";
    else if (event === "done") {
      view.finish(data.generator);
      return { ok: true, done: data };
    } else if (event === "error") return { ok: false, status: 200, data, retryAfter: 0 };
    view.show(text, sources);
  }
  return { ok: false, status: 0, data: { code: "network" }, retryAfter: 0 };
}
