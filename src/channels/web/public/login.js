// Sign-in: POST /api/session, then back to the page that asked for it.
const form = document.getElementById("login-form");
const error = document.getElementById("login-error");
form.addEventListener("submit", async (event) => {
  event.preventDefault();
  error.hidden = true;
  const data = new FormData(form);
  const res = await fetch("/api/session", {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify({ username: data.get("username"), password: data.get("password") }),
  });
  if (res.status === 204) {
    const next = new URLSearchParams(location.search).get("next");
    location.href = next?.startsWith("/") && !next.startsWith("//") ? next : "/";
    return;
  }
  const body = await res.json().catch(() => ({}));
  error.textContent = body.error || "登录失败";
  error.hidden = false;
});
