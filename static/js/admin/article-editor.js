// The article sections' editors in the admin (conditions/widgets.py): shows the formatting
// toolbar, adds its keyboard shortcuts, and keeps each section's preview and plain-language
// report up to date while the editor types.
//
// The server renders the preview (the site's own Markdown renderer and sanitizer) and the
// report; this script only sends the text and puts the answer in place with DOM APIs. It runs
// under the admin's Content-Security-Policy: no inline script, no eval, nothing from elsewhere.
// Without it, each section is a plain text box that saves as before.

const WAIT_MS = 400; // after the last key press, before asking for a new preview

const SHORTCUTS = [
  // [key code, with Shift, toolbar button]
  ["KeyB", false, "md-bold"],
  ["KeyK", false, "md-link"],
  ["KeyH", true, "md-header"],
  ["Digit8", true, "md-unordered-list"],
  ["Digit7", true, "md-ordered-list"],
];

function setHTML(element, html) {
  // The HTML comes from our server, already sanitized; a <template> parses it without
  // running anything, and its content is moved in as nodes.
  const template = document.createElement("template");
  template.innerHTML = html;
  element.replaceChildren(template.content);
}

function languageOf(editor) {
  // Once articles have a language field, the form's current choice wins.
  const field = editor.closest("form")?.querySelector("[name='language']");
  return field?.value || editor.dataset.language || "en";
}

function setUp(editor) {
  const textarea = editor.querySelector("textarea");
  const toolbar = editor.querySelector("markdown-toolbar");
  const shortcuts = editor.querySelector(".app-editor__shortcuts");
  const status = editor.querySelector(".app-editor__status");
  const report = editor.querySelector(".app-editor__report");
  const preview = editor.querySelector(".app-editor__preview");
  const token = textarea?.form?.querySelector("[name='csrfmiddlewaretoken']")?.value;
  if (!token || !toolbar) return; // not a form we can post from: leave the plain text box

  toolbar.hidden = false;
  shortcuts.hidden = false;
  textarea.setAttribute(
    "aria-describedby",
    [textarea.getAttribute("aria-describedby"), shortcuts.id].filter(Boolean).join(" "),
  );

  textarea.addEventListener("keydown", (event) => {
    if (!(event.ctrlKey || event.metaKey) || event.altKey) return;
    const match = SHORTCUTS.find(([code, shift]) => code === event.code && shift === event.shiftKey);
    if (!match) return;
    event.preventDefault();
    toolbar.querySelector(match[2])?.click();
  });

  let timer = null;
  let pending = null;
  let sent = textarea.value;

  async function refresh() {
    const text = textarea.value;
    if (pending) pending.abort();
    pending = new AbortController();
    const body = new FormData();
    body.append("csrfmiddlewaretoken", token);
    body.append("text", text);
    body.append("language", languageOf(editor));
    editor.dataset.state = "updating";
    try {
      const response = await fetch(editor.dataset.previewUrl, {
        method: "POST",
        body,
        credentials: "same-origin",
        headers: { Accept: "application/json" },
        signal: pending.signal,
      });
      const data = await response.json().catch(() => ({}));
      if (!response.ok) {
        status.textContent = data.summary || "The preview could not be updated.";
        editor.dataset.state = "failed";
        return;
      }
      sent = text;
      setHTML(preview, data.preview_html);
      setHTML(report, data.report_html);
      status.textContent = data.summary;
      editor.dataset.state = "ready";
    } catch (error) {
      if (error.name === "AbortError") return; // a newer request replaced this one
      status.textContent = "The preview could not be updated. Your text is not lost: save as usual.";
      editor.dataset.state = "failed";
    }
  }

  textarea.addEventListener("input", () => {
    clearTimeout(timer);
    timer = setTimeout(() => {
      if (textarea.value !== sent) refresh();
    }, WAIT_MS);
  });
  editor.dataset.state = "ready";
}

for (const editor of document.querySelectorAll(".app-editor[data-preview-url]")) {
  setUp(editor);
}
