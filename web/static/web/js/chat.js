import { api, bindSignOut, requireUser } from "./api.js";
import { answerBubble, ask, questionBubble, storedAnswer } from "./answer.js";
import { errorWords, waitWords } from "./messages.js";
import { clearErrors, showMessage } from "./forms.js";

const app = document.querySelector("[data-app]");
const list = app.querySelector("[data-conversations]");
const thread = app.querySelector("[data-messages]");
const form = app.querySelector("[data-form]");
const main = app.querySelector("main");
const question = form.querySelector("textarea");
let current = new URLSearchParams(location.search).get("c");

bindSignOut();
const user = await requireUser();
if (!user.onboarding_completed) {
  location.assign("/onboarding");
  await new Promise(() => {});
}
app.hidden = false;

function button(text, action, label) {
  const node = document.createElement("button");
  node.type = "button";
  node.className = "link";
  node.textContent = text;
  node.dataset.action = action;
  if (label) node.setAttribute("aria-label", label);
  return node;
}

function select(id) {
  current = id;
  history.replaceState(null, "", id ? `/?c=${id}` : "/");
  for (const item of list.children) {
    const open = item.querySelector("[data-action=open]");
    if (item.dataset.id === id) open.setAttribute("aria-current", "true");
    else open.removeAttribute("aria-current");
  }
}

async function loadConversations() {
  const { ok, data } = await api("/api/conversations?page_size=100");
  if (!ok) return;
  list.replaceChildren();
  for (const conversation of data.results) {
    const title = conversation.title || "Untitled conversation";
    const item = document.createElement("li");
    item.dataset.id = conversation.id;
    const open = button(title, "open");
    open.classList.add("conversation-title");
    item.append(
      open,
      button("Rename", "rename", `Rename “${title}”`),
      button("Delete", "delete", `Delete “${title}”`),
    );
    list.append(item);
  }
  app.querySelector("[data-no-conversations]").hidden = data.results.length > 0;
  select(current);
}

function showEmpty(empty) {
  thread.querySelector("[data-empty]").hidden = !empty;
}

async function openConversation(id) {
  const { ok, data } = await api(`/api/conversations/${id}/messages?page_size=100`);
  if (!ok) {
    select(null);
    return;
  }
  thread.querySelectorAll(".message").forEach((node) => node.remove());
  for (const message of data.results) {
    thread.append(message.role === "question" ? questionBubble(message.content) : storedAnswer(message));
  }
  showEmpty(data.results.length === 0);
  select(id);
}

function newConversation() {
  thread.querySelectorAll(".message").forEach((node) => node.remove());
  showEmpty(true);
  select(null);
  question.focus();
}

list.addEventListener("click", async (event) => {
  const target = event.target.closest("button");
  if (!target) return;
  const id = target.closest("li").dataset.id;
  if (target.dataset.action === "open") await openConversation(id);
  if (target.dataset.action === "rename") renameForm(target.closest("li"));
  if (target.dataset.action === "delete") {
    if (!confirm("Delete this conversation?")) return;
    await api(`/api/conversations/${id}`, { method: "DELETE" });
    if (id === current) newConversation();
    await loadConversations();
  }
});

// Renaming in place: the title becomes a labelled field; Enter saves, Escape cancels.
function renameForm(item) {
  const form = document.createElement("form");
  form.className = "rename";
  const input = document.createElement("input");
  input.type = "text";
  input.id = `title-${item.dataset.id}`;
  input.maxLength = 200;
  input.value = item.querySelector(".conversation-title").textContent;
  const label = document.createElement("label");
  label.htmlFor = input.id;
  label.className = "visually-hidden";
  label.textContent = "New title";
  const save = document.createElement("button");
  save.textContent = "Save";
  save.className = "small";
  form.append(label, input, save);
  item.replaceChildren(form);
  input.select();
  input.addEventListener("keydown", (event) => {
    if (event.key === "Escape") loadConversations();
  });
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    await api(`/api/conversations/${item.dataset.id}`, { method: "PATCH", body: { title: input.value } });
    await loadConversations();
  });
}

app.querySelector("[data-action=new]").addEventListener("click", newConversation);

function failure(result) {
  if (result.data.code === "rate_limited") {
    return `You have asked 30 questions in a minute, the most there is. Ask again in ${waitWords(result.retryAfter)}.`;
  }
  if (result.data.code === "invalid" && result.data.question) return result.data.question.join(" ");
  return errorWords(result.data.code, { detail: result.data.detail });
}

form.addEventListener("submit", async (event) => {
  event.preventDefault();
  const text = question.value.trim();
  if (!text) return;
  clearErrors(main);
  const submit = form.querySelector("button");
  submit.disabled = true;
  showEmpty(false);
  const asked = questionBubble(text);
  const view = answerBubble();
  thread.append(asked, view.bubble);
  view.bubble.scrollIntoView({ block: "end" });
  const [path, body] = current
    ? [`/api/conversations/${current}/messages`, { content: text }]
    : ["/api/chat", { question: text }];
  try {
    const result = await ask(path, body, view);
    if (result.ok) {
      question.value = "";
      current = result.done.conversation_id;
      await loadConversations();
    } else {
      asked.remove();
      view.bubble.remove();
      showMessage(main, failure(result));
    }
  } finally {
    submit.disabled = false;
  }
});

// Enter asks, Shift+Enter is a new line.
question.addEventListener("keydown", (event) => {
  if (event.key === "Enter" && !event.shiftKey) {
    event.preventDefault();
    form.requestSubmit();
  }
});

await loadConversations();
if (current) await openConversation(current);
