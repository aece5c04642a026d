// The workspace page: one client of the JSON API (../../../../shared/CLI-CONTRACT.md, "Web workspace").
// Plain ES module, no framework: every text from the server is set with textContent, never as HTML.

const $ = (id) => document.getElementById(id);

/** Create an element: h("a", {href: "#", class: "x", onclick: fn}, "text", child…). */
function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === undefined || v === null || v === false) continue;
    if (k.startsWith("on")) el.addEventListener(k.slice(2), v);
    else if (k === "class") el.className = v;
    else if (k === "testid") el.dataset.testid = v;
    else el.setAttribute(k, v === true ? "" : String(v));
  }
  for (const c of children.flat())
    if (c !== null && c !== undefined && c !== false)
      el.append(c instanceof Node ? c : document.createTextNode(String(c)));
  return el;
}

async function api(path, { method = "POST", body, form, raw = false } = {}) {
  const init = { method, headers: {} };
  if (form) init.body = form;
  else if (body !== undefined) {
    init.headers["Content-Type"] = "application/json";
    init.body = JSON.stringify(body);
  }
  const res = await fetch(path, init);
  if (res.status === 401) {
    location.href = `/login?next=${encodeURIComponent(location.pathname + location.hash)}`;
    throw new Error("请先登录");
  }
  if (!res.ok) {
    const err = await res.json().catch(() => ({}));
    throw new Error(err.error || `请求失败（${res.status}）`);
  }
  if (raw) return res;
  return res.status === 204 ? null : res.json();
}

const KIND = { regulation: "法规", bulletin: "简报", notice: "通知" };
const TIME_KIND = { point: "当日", span: "期间", before: "之前", after: "之后", within: "以内", recurring: "周期" };

let me = null;

// ---------- navigation ----------
function show(view) {
  const name = ["ask", "search", "notices", "tasks", "draft", "corpus"].includes(view) ? view : "ask";
  for (const s of document.querySelectorAll(".view")) s.hidden = s.id !== `view-${name}`;
  for (const a of document.querySelectorAll("#nav a")) a.classList.toggle("active", a.dataset.view === name);
  $("source-panel").hidden = true;
  if (name === "tasks") loadTasks();
  if (name === "corpus") loadCorpus();
}
window.addEventListener("hashchange", () => show(location.hash.replace(/^#\//, "")));

// ---------- the source panel ----------
async function openSource({ path, title, date, section, passage, quote }) {
  const panel = $("source-panel");
  panel.hidden = false;
  $("source-title").textContent = title || path;
  $("source-meta").textContent = [date, section].filter(Boolean).join(" · ");
  const box = $("source-text");
  box.textContent = "正在打开原文…";
  try {
    const q = new URLSearchParams({ path, passage: passage || "", quote: quote || "" });
    const doc = await api(`/api/document?${q}`, { method: "GET" });
    box.textContent = "";
    const text = doc.text;
    const hl = doc.highlight;
    if (hl) {
      const mark = h("mark", { testid: "source-highlight" }, text.slice(hl.start, hl.end));
      box.append(text.slice(0, hl.start), mark, text.slice(hl.end));
      mark.scrollIntoView({ block: "center" });
    } else box.append(text);
  } catch (err) {
    box.textContent = `无法打开原文：${err.message}`;
  }
}
$("source-close").addEventListener("click", () => ($("source-panel").hidden = true));

// ---------- ask ----------
let history = [];

function renderAnswerText(answer, citations) {
  // "[1]" markers become links to the cited passage
  const parts = answer.split(/(\[\d+\])/);
  return parts.map((p) => {
    const m = /^\[(\d+)\]$/.exec(p);
    const c = m && citations.find((x) => x.n === Number(m[1]));
    return c
      ? h(
          "a",
          {
            href: "#",
            class: "cite-ref",
            onclick: (e) => {
              e.preventDefault();
              openCitation(c);
            },
          },
          p,
        )
      : p;
  });
}

function openCitation(c) {
  return openSource({
    path: c.path,
    title: c.title,
    date: c.date,
    section: c.section,
    passage: c.chunkText || "",
    quote: c.quote,
  });
}

$("ask-form").addEventListener("submit", async (event) => {
  event.preventDefault();
  const question = $("question").value.trim();
  if (!question) return;
  const conv = $("conversation");
  const turn = h("div", { class: "turn" }, h("p", { class: "q" }, question));
  const pending = h("p", { class: "muted" }, "正在查找依据…");
  turn.append(pending);
  conv.append(turn);
  $("question").value = "";
  try {
    const r = await api("/api/ask", { body: { question, history } });
    pending.remove();
    // the model's answer was changed by the claim check (or replaced by the extractive one): say so first
    if (r.notice) turn.append(h("p", { class: "notice", testid: "answer-notice" }, r.notice));
    const answer = h(
      "div",
      { class: r.abstained ? "answer abstained" : "answer", testid: "answer" },
      renderAnswerText(r.answer, r.citations),
    );
    turn.append(answer);
    for (const w of r.warnings || []) turn.append(h("p", { class: "notice" }, w));
    if (r.citations.length) {
      turn.append(
        h(
          "ol",
          { class: "citations" },
          r.citations.map((c) =>
            h(
              "li",
              {},
              h(
                "button",
                { class: "citation", testid: "citation", type: "button", onclick: () => openCitation(c) },
                `[${c.n}] ${c.title}${c.section ? ` ${c.section}` : ""}${c.date ? `（${c.date}）` : ""}`,
              ),
              h("div", { class: "quote" }, c.quote),
            ),
          ),
        ),
      );
    }
    history = [...history, { question, answer: r.answer, citations: r.citations }].slice(-6);
  } catch (err) {
    pending.textContent = `出错了：${err.message}`;
    pending.className = "error";
  }
  turn.scrollIntoView({ block: "end" });
});
$("question").addEventListener("keydown", (e) => {
  if (e.key === "Enter" && !e.shiftKey && !e.isComposing) {
    e.preventDefault();
    $("ask-form").requestSubmit();
  }
});
$("new-conversation").addEventListener("click", () => {
  history = [];
  $("conversation").textContent = "";
});

// ---------- search ----------
function marked(snippet) {
  // the server marks query terms between \u0001 and \u0002
  const out = [];
  for (const [i, part] of snippet.split(/[\u0001\u0002]/).entries()) out.push(i % 2 ? h("mark", {}, part) : part);
  return out;
}

$("search-form").addEventListener("submit", async (event) => {
  event.preventDefault();
  const body = { query: $("search-query").value.trim(), k: Number($("search-k").value) };
  if ($("search-kind").value) body.kind = $("search-kind").value;
  if ($("search-since").value) body.since = $("search-since").value;
  if ($("search-until").value) body.until = $("search-until").value;
  const list = $("search-results");
  list.textContent = "";
  $("search-status").textContent = "正在检索…";
  try {
    const r = await api("/api/search", { body });
    $("search-status").textContent = r.results.length ? `共 ${r.results.length} 条结果` : "没有找到相关内容";
    for (const x of r.results) {
      list.append(
        h(
          "li",
          { class: "result", testid: "search-result" },
          h(
            "div",
            { class: "result-head" },
            h("strong", {}, x.title),
            " ",
            h("span", { class: "tag" }, KIND[x.kind] || x.kind),
            " ",
            h("span", { class: "muted" }, [x.date, x.section].filter(Boolean).join(" · ")),
          ),
          h("p", { class: "snippet" }, marked(x.snippet || x.text)),
          h(
            "button",
            {
              type: "button",
              class: "link",
              onclick: () =>
                openSource({ path: x.path, title: x.title, date: x.date, section: x.section, passage: x.text }),
            },
            "打开原文",
          ),
        ),
      );
    }
  } catch (err) {
    $("search-status").textContent = `出错了：${err.message}`;
  }
});

// ---------- notices ----------
let lastNotice = null; // {request, result}

function noticeRequest() {
  const file = $("notice-file").files[0];
  const ref = $("notice-ref").value;
  if (file) {
    const form = new FormData();
    form.append("file", file);
    if (ref) form.append("ref", ref);
    return { form };
  }
  const text = $("notice-text").value.trim();
  if (!text) throw new Error("请粘贴通知全文或选择文件");
  return { body: ref ? { text, ref } : { text } };
}

function copyRequest(req) {
  if (!req.form) return req;
  const form = new FormData();
  for (const [k, v] of req.form.entries()) form.append(k, v);
  return { form };
}

function drawTimeline(result) {
  const box = $("timeline");
  box.textContent = "";
  const items = result.deadlines
    .filter((d) => d.end || d.start)
    .map((d) => ({ d, day: (d.end || d.start).slice(0, 10) }));
  if (!items.length) {
    box.append(h("p", { class: "muted" }, "通知中没有带期限的事项"));
    return;
  }
  const days = items.map((x) => Date.parse(x.day));
  const refDay = Date.parse(result.ref);
  const min = Math.min(refDay, ...days);
  const max = Math.max(...days, min + 86400000);
  const W = 900,
    left = 40,
    right = 40,
    rowH = 26,
    top = 40;
  const x = (t) => left + ((t - min) / (max - min)) * (W - left - right);
  const H = top + items.length * rowH + 10;
  const NS = "http://www.w3.org/2000/svg";
  const svg = document.createElementNS(NS, "svg");
  svg.setAttribute("viewBox", `0 0 ${W} ${H}`);
  svg.setAttribute("class", "timeline-svg");
  svg.setAttribute("role", "img");
  const el = (tag, attrs, text) => {
    const e = document.createElementNS(NS, tag);
    for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, String(v));
    if (text !== undefined) e.textContent = text;
    svg.append(e);
    return e;
  };
  el("line", { x1: left, y1: 24, x2: W - right, y2: 24, class: "axis" });
  el("circle", { cx: x(refDay), cy: 24, r: 5, class: "ref" });
  el("text", { x: x(refDay), y: 14, "text-anchor": "middle", class: "label" }, `发文 ${result.ref}`);
  items
    .sort((a, b) => a.day.localeCompare(b.day))
    .forEach(({ d, day }, i) => {
      const y = top + i * rowH + 12;
      const cx = x(Date.parse(day));
      if (d.start && d.end)
        el("line", { x1: x(Date.parse(d.start.slice(0, 10))), y1: y, x2: cx, y2: y, class: "span" });
      el("line", { x1: cx, y1: 24, x2: cx, y2: y, class: "tick" });
      el("circle", { cx, cy: y, r: 4, class: "due" });
      const label = `${day} ${(d.item || d.text).slice(0, 24)}`;
      el(
        "text",
        { x: cx > W / 2 ? cx - 8 : cx + 8, y: y + 4, "text-anchor": cx > W / 2 ? "end" : "start", class: "label" },
        label,
      );
    });
  box.append(svg);
}

$("notice-form").addEventListener("submit", async (event) => {
  event.preventDefault();
  $("notice-status").textContent = "";
  try {
    const request = noticeRequest();
    const result = await api("/api/extract", copyRequest(request));
    lastNotice = { request, result };
    $("notice-result").hidden = false;
    const rows = $("deadline-rows");
    rows.textContent = "";
    for (const d of result.deadlines) {
      const when = d.start && d.end ? `${d.start} 至 ${d.end}` : d.end || d.start || "";
      rows.append(
        h(
          "tr",
          { testid: "deadline-row" },
          h("td", {}, when),
          h("td", {}, TIME_KIND[d.kind] || d.kind),
          h("td", {}, d.item || d.text),
          h("td", {}, d.owner || ""),
        ),
      );
    }
    if (!result.deadlines.length) rows.append(h("tr", {}, h("td", { colspan: 4, class: "muted" }, "没有找到期限")));
    drawTimeline(result);
  } catch (err) {
    $("notice-result").hidden = false;
    $("notice-status").textContent = `出错了：${err.message}`;
  }
});

$("download-ics").addEventListener("click", async () => {
  if (!lastNotice) return;
  try {
    const res = await api("/api/extract/ics", { ...copyRequest(lastNotice.request), raw: true });
    const blob = await res.blob();
    const a = h("a", { href: URL.createObjectURL(blob), download: "deadlines.ics" });
    document.body.append(a);
    a.click();
    a.remove();
  } catch (err) {
    $("notice-status").textContent = `出错了：${err.message}`;
  }
});

$("track-notice").addEventListener("click", async () => {
  if (!lastNotice) return;
  try {
    const r = await api("/api/tasks", copyRequest(lastNotice.request));
    $("notice-status").textContent = `已加入督办 ${r.tasks.length} 项`;
  } catch (err) {
    $("notice-status").textContent = `出错了：${err.message}`;
  }
});

// ---------- tasks ----------
const LEVEL_TEXT = { upcoming: "临期", today: "今日到期", overdue: "已逾期" };
const LEVEL_CLASS = {
  upcoming: "lvl-blue",
  blue: "lvl-blue",
  today: "lvl-yellow",
  yellow: "lvl-yellow",
  overdue: "lvl-red",
  red: "lvl-red",
};

async function loadTasks() {
  const board = $("task-board");
  board.textContent = "正在加载…";
  try {
    const r = await api(`/api/tasks?status=${$("task-status").value}`, { method: "GET" });
    board.textContent = "";
    if (!r.tasks.length) board.append(h("p", { class: "muted" }, "没有督办事项"));
    for (const t of r.tasks) {
      const card = h(
        "div",
        { class: `task ${LEVEL_CLASS[t.level] || "lvl-none"}`, testid: "task" },
        h(
          "div",
          { class: "task-head" },
          h("strong", {}, t.owner),
          " ",
          h("span", { class: "muted" }, `截止 ${t.due}`),
          t.level ? h("span", { class: `badge ${LEVEL_CLASS[t.level]}` }, LEVEL_TEXT[t.level] || t.level) : null,
          t.recurrence ? h("span", { class: "tag" }, "周期") : null,
          t.status === "done" ? h("span", { class: "tag" }, "已办结") : null,
        ),
        h("p", {}, t.action),
        h("p", { class: "muted small" }, `${t.source.title}：${t.source.text}`),
      );
      if (t.status === "open") {
        const note = h("input", { placeholder: "办结说明（可选）" });
        const date = h("input", { type: "date" });
        const reason = h("input", { placeholder: "延期理由" });
        const msg = h("p", { class: "error small" });
        card.append(
          h(
            "div",
            { class: "row" },
            note,
            h(
              "button",
              {
                type: "button",
                onclick: () =>
                  act(`/api/tasks/${encodeURIComponent(t.id)}/done`, note.value ? { note: note.value } : {}, msg),
              },
              "办结",
            ),
          ),
          h(
            "div",
            { class: "row" },
            date,
            reason,
            h(
              "button",
              {
                type: "button",
                class: "secondary",
                onclick: () =>
                  act(`/api/tasks/${encodeURIComponent(t.id)}/extend`, { date: date.value, reason: reason.value }, msg),
              },
              "延期",
            ),
          ),
          msg,
        );
      }
      board.append(card);
    }
  } catch (err) {
    board.textContent = `出错了：${err.message}`;
  }
}
async function act(path, body, msg) {
  try {
    await api(path, { body });
    loadTasks();
  } catch (err) {
    msg.textContent = err.message;
  }
}
$("task-status").addEventListener("change", loadTasks);

// ---------- draft ----------
$("draft-run").addEventListener("click", async () => {
  const notes = $("draft-notes").value.trim();
  const list = $("draft-warnings");
  list.textContent = "";
  if (!notes) return list.append(h("li", {}, "请先粘贴会议记录"));
  $("draft-run").disabled = true;
  try {
    const r = await api("/api/draft", { body: { notes, form: $("draft-form").value } });
    $("draft-title").value = r.title;
    $("draft-text").value = r.text;
    for (const w of r.warnings) list.append(h("li", { testid: "draft-warning" }, w));
  } catch (err) {
    list.append(h("li", { class: "error" }, err.message));
  } finally {
    $("draft-run").disabled = false;
  }
});
$("draft-copy").addEventListener("click", () =>
  navigator.clipboard?.writeText(`${$("draft-title").value}\n\n${$("draft-text").value}`),
);
$("draft-download").addEventListener("click", () => {
  const blob = new Blob([`${$("draft-title").value}\n\n${$("draft-text").value}\n`], {
    type: "text/plain;charset=utf-8",
  });
  const a = h("a", { href: URL.createObjectURL(blob), download: `${$("draft-title").value || "草稿"}.txt` });
  document.body.append(a);
  a.click();
  a.remove();
});

// ---------- corpus (admins) ----------
let polling = null;
function showReindex(job) {
  const s = $("reindex-status");
  if (!job || job.state === "idle") return (s.textContent = "");
  if (job.state === "running") s.textContent = `正在索引… ${job.lines.at(-1) || ""}`;
  else if (job.state === "failed") s.textContent = `索引失败：${job.error}`;
  else {
    const r = job.report;
    s.textContent = `索引完成：新增 ${r.added.length}，更新 ${r.updated.length}，未变 ${r.unchanged.length}，移除 ${r.removed.length}，失败 ${r.failed.length}`;
  }
  if (job.state === "running" && !polling)
    polling = setInterval(async () => {
      const r = await api("/api/corpus/reindex", { method: "GET" }).catch(() => null);
      if (r?.reindex.state !== "running") {
        clearInterval(polling);
        polling = null;
        loadCorpus();
      } else showReindex(r.reindex);
    }, 1000);
}

async function loadCorpus() {
  const rows = $("document-rows");
  try {
    const r = await api("/api/corpus", { method: "GET" });
    rows.textContent = "";
    for (const d of r.documents)
      rows.append(
        h(
          "tr",
          {},
          h(
            "td",
            {},
            h(
              "a",
              {
                href: "#/corpus",
                onclick: (e) => {
                  e.preventDefault();
                  openSource({ path: d.path, title: d.title, date: d.date });
                },
              },
              d.title,
            ),
          ),
          h("td", {}, KIND[d.kind] || d.kind),
          h("td", {}, d.date || "—"),
          h("td", {}, String(d.chunks)),
          h("td", { class: "small" }, d.path),
          h("td", {}, h("button", { type: "button", class: "link danger", onclick: () => removeDoc(d) }, "移除")),
        ),
      );
    const failed = $("failed-files");
    failed.textContent = "";
    for (const f of r.failed) failed.append(h("li", {}, `${f.path}：${f.reason}`));
    if (!r.failed.length) failed.append(h("li", { class: "muted" }, "无"));
    showReindex(r.reindex);
  } catch (err) {
    rows.textContent = "";
    rows.append(h("tr", {}, h("td", { colspan: 6, class: "error" }, err.message)));
  }
}
async function removeDoc(d) {
  if (!confirm(`从语料库移除「${d.title}」（删除文件 ${d.path}）？`)) return;
  try {
    const r = await api(`/api/corpus?path=${encodeURIComponent(d.path)}`, { method: "DELETE" });
    showReindex(r.reindex);
  } catch (err) {
    $("reindex-status").textContent = err.message;
  }
}
$("upload-form").addEventListener("submit", async (event) => {
  event.preventDefault();
  const file = $("upload-file").files[0];
  if (!file) return;
  const form = new FormData();
  form.append("file", file);
  try {
    const r = await api("/api/corpus", { form });
    showReindex(r.reindex);
  } catch (err) {
    $("reindex-status").textContent = `出错了：${err.message}`;
  }
});
$("reindex").addEventListener("click", async () =>
  showReindex((await api("/api/corpus/reindex", { body: {} })).reindex),
);

// ---------- start ----------
$("sign-out").addEventListener("click", async () => {
  await fetch("/api/session", { method: "DELETE" });
  location.href = "/login";
});

(async () => {
  const r = await api("/api/session", { method: "GET" });
  me = r.user;
  $("user-name").textContent = `${me.name}${me.role === "admin" ? "（管理员）" : ""}`;
  for (const a of document.querySelectorAll(".admin-only")) a.hidden = me.role !== "admin";
  show(location.hash.replace(/^#\//, "") || "ask");
})();
