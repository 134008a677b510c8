// The article sections' editors in the admin (conditions/widgets.py): shows the formatting
// toolbar, adds its keyboard shortcuts and its link and image pickers, continues lists on
// Enter, and keeps each section's preview and plain-language report up to date while the
// editor types.
//
// Every change this script makes to the text goes through the browser's own editing
// (execCommand "insertText"), as the vendored toolbar's do, so Ctrl+Z undoes it like typing.
//
// The server renders the preview (the site's own Markdown renderer and sanitizer) and the
// report; this script only sends the text and puts the answer in place with DOM APIs. It runs
// under the admin's Content-Security-Policy: no inline script, no eval, nothing from elsewhere.
// Without it, each section is a plain text box that saves as before.

const WAIT_MS = 400; // after the last key press, before asking for a new preview

const SHORTCUTS = [
  // [key code, with Shift, toolbar button]
  ["KeyB", false, "md-bold"],
  ["KeyK", false, "[data-md-button='link-picker']"],
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

// Editing ------------------------------------------------------------------------------------

function replaceRange(textarea, start, end, text, caret = start + text.length) {
  // Replace [start, end) with `text` as one step of the browser's undo history.
  textarea.focus();
  textarea.setSelectionRange(start, end);
  const expected = textarea.value.slice(0, start) + text + textarea.value.slice(end);
  let done = false;
  try {
    done = text
      ? document.execCommand("insertText", false, text)
      : start === end || document.execCommand("delete", false);
  } catch {
    done = false;
  }
  if (!done || textarea.value !== expected) {
    // A browser without execCommand: the change is made, but undo may not reach it.
    textarea.value = expected;
    textarea.dispatchEvent(new Event("input", { bubbles: true }));
  }
  textarea.setSelectionRange(caret, caret);
}

// Lists: Enter continues a list, Enter on an empty item ends it, numbers follow on.
const LIST_ITEM = /^(\s*)(?:([-*+])|(\d{1,9})([.)]))(\s+)/;

function lineAround(value, position) {
  const start = value.lastIndexOf("\n", position - 1) + 1;
  const newline = value.indexOf("\n", position);
  return { start, end: newline === -1 ? value.length : newline };
}

function renumbered(lines, indent, delimiter, first) {
  // The lines after an item of a numbered list, numbered on from `first`: items at the same
  // indent are renumbered, lines indented deeper (an item's own text or a nested list) are
  // kept; the list ends at the first other line.
  const out = [];
  let number = first;
  let index = 0;
  for (; index < lines.length; index += 1) {
    const line = lines[index];
    const item = LIST_ITEM.exec(line);
    if (item && item[1] === indent && item[4] === delimiter) {
      out.push(`${indent}${number}${delimiter}${item[5]}${line.slice(item[0].length)}`);
      number += 1;
    } else if (line.trim() && line.search(/\S/) > indent.length) {
      out.push(line);
    } else {
      break;
    }
  }
  return { text: out, count: index };
}

function continueList(textarea, event) {
  if (event.key !== "Enter" || event.shiftKey || event.ctrlKey || event.metaKey || event.altKey) {
    return;
  }
  if (event.isComposing || textarea.selectionStart !== textarea.selectionEnd) return;
  const value = textarea.value;
  const caret = textarea.selectionStart;
  const line = lineAround(value, caret);
  const item = LIST_ITEM.exec(value.slice(line.start, line.end));
  if (!item || caret < line.start + item[0].length) return; // not in a list item's text
  event.preventDefault();
  const [marker, indent, bullet, number, delimiter, space] = item;
  const rest = value.slice(line.start + marker.length, line.end);
  if (!rest.trim() && caret === line.end) {
    // Enter on an empty item: the list ends here. The marker goes, and a blank line follows
    // the list, or Markdown would take the next words as part of the last item.
    const previous = value.slice(0, Math.max(line.start - 1, 0));
    const blank = line.start === 0 || previous.endsWith("\n") || previous === "";
    replaceRange(textarea, line.start, line.end, blank ? "" : "\n");
    return;
  }
  const next = bullet ? `${indent}${bullet}${space}` : `${indent}${Number(number) + 1}${delimiter}${space}`;
  const moved = value.slice(caret, line.end); // text after the caret goes to the new item
  let tail = "";
  let end = line.end;
  if (!bullet && line.end < value.length) {
    // The items below move down one number: rewritten in the same step, so one undo.
    const below = value.slice(line.end + 1).split("\n");
    const fixed = renumbered(below, indent, delimiter, Number(number) + 2);
    if (fixed.count) {
      tail = `\n${fixed.text.join("\n")}`;
      end = line.end + 1 + below.slice(0, fixed.count).join("\n").length;
    }
  }
  const inserted = `\n${next}${moved}${tail}`;
  replaceRange(textarea, caret, end, inserted, caret + 1 + next.length);
}

// Pickers -------------------------------------------------------------------------------------

function linkText(textarea, fallback) {
  const selected = textarea.value.slice(textarea.selectionStart, textarea.selectionEnd).trim();
  return (selected || fallback).replace(/[[\]]/g, "");
}

function setUpLinkPicker(textarea, dialog, language, toolbar) {
  const search = dialog.querySelector(".app-picker__search");
  const status = dialog.querySelector(".app-picker__status");
  const results = dialog.querySelector(".app-picker__results");
  let selection = [0, 0];
  let pending = null;
  let timer = null;

  function choose(page) {
    dialog.close();
    const [start, end] = selection;
    textarea.setSelectionRange(start, end);
    const text = `[${linkText(textarea, page.title)}](${page.url})`;
    replaceRange(textarea, start, end, text);
  }

  function show(pages) {
    results.replaceChildren();
    for (const page of pages) {
      const button = document.createElement("button");
      button.type = "button";
      button.className = "app-picker__choice";
      const title = document.createElement("span");
      title.className = "app-picker__choice-title";
      title.textContent = page.title;
      const about = document.createElement("span");
      about.className = "app-picker__choice-about";
      about.textContent = `${page.kind} · ${page.status} · ${page.url}`;
      button.append(title, " ", about);
      button.addEventListener("click", () => choose(page));
      const item = document.createElement("li");
      item.append(button);
      results.append(item);
    }
    status.textContent = pages.length ? `${dialog.dataset.found} ${pages.length}` : dialog.dataset.none;
  }

  async function find() {
    if (pending) pending.abort();
    pending = new AbortController();
    const url = new URL(dialog.dataset.searchUrl, window.location.href);
    url.searchParams.set("q", search.value);
    url.searchParams.set("language", language());
    dialog.dataset.state = "updating";
    try {
      const response = await fetch(url, {
        credentials: "same-origin",
        headers: { Accept: "application/json" },
        signal: pending.signal,
      });
      if (!response.ok) throw new Error(String(response.status));
      show((await response.json()).results);
      dialog.dataset.state = "ready";
    } catch (error) {
      if (error.name === "AbortError") return;
      status.textContent = dialog.dataset.failed;
      dialog.dataset.state = "failed";
    }
  }

  search.addEventListener("input", () => {
    clearTimeout(timer);
    timer = setTimeout(find, 200);
  });
  search.addEventListener("keydown", (event) => {
    if (event.key === "Escape") {
      // A search box takes the first Escape to clear itself: here it closes the dialog.
      event.preventDefault();
      dialog.close();
      return;
    }
    // Enter must not submit the article's form from inside the dialog: it picks the first page.
    if (event.key !== "Enter") return;
    event.preventDefault();
    results.querySelector("button")?.click();
  });
  dialog.querySelector("[data-other-link]").addEventListener("click", () => {
    dialog.close();
    textarea.setSelectionRange(...selection);
    toolbar.querySelector("md-link")?.click();
  });
  return () => {
    selection = [textarea.selectionStart, textarea.selectionEnd];
    search.value = linkText(textarea, "");
    dialog.showModal();
    find();
  };
}

function setUpImagePicker(textarea, dialog) {
  let selection = [0, 0];
  for (const button of dialog.querySelectorAll("[data-src]")) {
    button.addEventListener("click", () => {
      dialog.close();
      const [start, end] = selection;
      const before = textarea.value.slice(0, start);
      // On a line of its own, with a blank line before it, as a paragraph of its own.
      const gap = !before || before.endsWith("\n\n") ? "" : before.endsWith("\n") ? "\n" : "\n\n";
      const alt = button.dataset.alt.replace(/[[\]]/g, "");
      replaceRange(textarea, start, end, `${gap}![${alt}](${button.dataset.src})\n`);
    });
  }
  return () => {
    selection = [textarea.selectionStart, textarea.selectionEnd];
    dialog.showModal();
  };
}

function setUpPickers(editor, textarea, toolbar) {
  const language = () => languageOf(editor);
  const opens = {};
  const links = document.getElementById(`${textarea.id}_links`);
  const images = document.getElementById(`${textarea.id}_images`);
  if (links) opens[links.id] = setUpLinkPicker(textarea, links, language, toolbar);
  if (images) opens[images.id] = setUpImagePicker(textarea, images);
  for (const dialog of [links, images]) {
    if (!dialog) continue;
    for (const close of dialog.querySelectorAll("[data-closes]")) {
      close.addEventListener("click", () => dialog.close());
    }
    // Closed either way (Cancel, Escape or a choice): back to the text, where the editor was.
    dialog.addEventListener("close", () => textarea.focus());
  }
  for (const button of toolbar.querySelectorAll("[data-opens]")) {
    const open = opens[button.dataset.opens];
    if (!open) {
      button.hidden = true;
      continue;
    }
    button.addEventListener("click", open); // a real button: Enter and Space click it too
  }
}

// The editor ----------------------------------------------------------------------------------

function setUp(editor) {
  const textarea = editor.querySelector("textarea");
  const toolbar = editor.querySelector("markdown-toolbar");
  const shortcuts = editor.querySelector(".app-editor__shortcuts");
  const status = editor.querySelector(".app-editor__status");
  const report = editor.querySelector(".app-editor__report");
  const preview = editor.querySelector(".app-editor__preview");
  const busy = editor.querySelector(".app-editor__busy");
  const token = textarea?.form?.querySelector("[name='csrfmiddlewaretoken']")?.value;
  if (!token || !toolbar) return; // not a form we can post from: leave the plain text box

  toolbar.hidden = false;
  shortcuts.hidden = false;
  textarea.setAttribute(
    "aria-describedby",
    [textarea.getAttribute("aria-describedby"), shortcuts.id].filter(Boolean).join(" "),
  );

  setUpPickers(editor, textarea, toolbar);
  textarea.addEventListener("keydown", (event) => {
    continueList(textarea, event);
    if (event.defaultPrevented) return;
    if (!(event.ctrlKey || event.metaKey) || event.altKey) return;
    const match = SHORTCUTS.find(([code, shift]) => code === event.code && shift === event.shiftKey);
    if (!match) return;
    event.preventDefault();
    toolbar.querySelector(match[2])?.click();
  });

  function setState(state) {
    // "updating": the preview is dimmed and says so until the answer is in.
    editor.dataset.state = state;
    preview.setAttribute("aria-busy", String(state === "updating"));
    if (busy) busy.hidden = state !== "updating";
  }

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
    setState("updating");
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
        setState("failed");
        return;
      }
      sent = text;
      setHTML(preview, data.preview_html);
      setHTML(report, data.report_html);
      status.textContent = data.summary;
      setState("ready");
    } catch (error) {
      if (error.name === "AbortError") return; // a newer request replaced this one
      status.textContent = "The preview could not be updated. Your text is not lost: save as usual.";
      setState("failed");
    }
  }

  textarea.addEventListener("input", () => {
    clearTimeout(timer);
    timer = setTimeout(() => {
      if (textarea.value !== sent) refresh();
    }, WAIT_MS);
  });
  setState("ready");
}

for (const editor of document.querySelectorAll(".app-editor[data-preview-url]")) {
  setUp(editor);
}
