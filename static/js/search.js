/* Suggestions as you type in the site search (every search form on the page).
 *
 * Progressive enhancement: without this file the form is a plain GET form and loses nothing.
 * The ARIA 1.2 combobox pattern, as GOV.UK's accessible-autocomplete uses it: the input is a
 * combobox that controls a listbox; arrow keys move through the options (announced through
 * aria-activedescendant), Enter opens the highlighted page (or searches when none is
 * highlighted), Escape closes the list. A polite live region says how many suggestions there
 * are. Text from the server is only ever set as textContent.
 */
(function () {
  "use strict";

  var DELAY_MS = 150;
  var MIN_CHARS = 2;

  function enhance(form, index) {
    var input = form.querySelector("input[name=q]");
    var url = form.getAttribute("data-suggest-url");
    if (!input || !url || !window.fetch) { return; }
    var listId = input.id + "-suggestions";
    var list = document.createElement("ul");
    list.id = listId;
    list.className = "app-search__suggestions";
    list.setAttribute("role", "listbox");
    list.setAttribute("aria-label", form.querySelector("label").textContent);
    list.hidden = true;
    form.appendChild(list);
    // The live region that counts suggestions joins the page when the search box is first
    // focused (before anything is typed, so the first count is announced): a page nobody
    // searches on has no extra status for assistive technology.
    var status = null;
    function ensureStatus() {
      if (!status) {
        status = document.createElement("div");
        status.className = "app-visually-hidden";
        status.setAttribute("role", "status");
        form.appendChild(status);
      }
    }
    function announce(message) {
      ensureStatus();
      status.textContent = message;
    }

    input.setAttribute("role", "combobox");
    input.setAttribute("aria-autocomplete", "list");
    input.setAttribute("aria-expanded", "false");
    input.setAttribute("aria-controls", listId);

    var options = [];
    var active = -1;
    var timer = null;
    var latest = 0;

    function close() {
      list.hidden = true;
      input.setAttribute("aria-expanded", "false");
      input.removeAttribute("aria-activedescendant");
      active = -1;
    }

    function highlight(i) {
      options.forEach(function (option, n) {
        option.element.setAttribute("aria-selected", n === i ? "true" : "false");
      });
      active = i;
      if (i >= 0) {
        input.setAttribute("aria-activedescendant", options[i].element.id);
        options[i].element.scrollIntoView({ block: "nearest" });
      } else {
        input.removeAttribute("aria-activedescendant");
      }
    }

    function show(suggestions) {
      list.textContent = "";
      options = suggestions.map(function (s, n) {
        var item = document.createElement("li");
        item.id = listId + "-" + n;
        item.className = "app-search__option";
        item.setAttribute("role", "option");
        item.setAttribute("aria-selected", "false");
        item.textContent = s.label;
        if (s.title && s.title !== s.label) {
          var title = document.createElement("span");
          title.className = "app-search__option-title";
          title.textContent = s.title;
          item.appendChild(document.createTextNode(" "));
          item.appendChild(title);
        }
        item.addEventListener("mousedown", function (event) { event.preventDefault(); });
        item.addEventListener("click", function () { window.location.assign(s.url); });
        list.appendChild(item);
        return { element: item, url: s.url };
      });
      active = -1;
      if (options.length) {
        list.hidden = false;
        input.setAttribute("aria-expanded", "true");
      } else {
        close();
      }
      // The words come from the page, in its language.
      announce(!options.length ? ""
        : options.length === 1 ? form.getAttribute("data-one-found")
        : form.getAttribute("data-many-found").replace("COUNT", String(options.length)));
    }

    function fetchSuggestions() {
      var query = input.value.trim();
      if (query.length < MIN_CHARS) { close(); if (status) { status.textContent = ""; } return; }
      var ticket = ++latest;
      window.fetch(url + "?q=" + encodeURIComponent(query), {
        credentials: "omit",
        headers: { Accept: "application/json" }
      }).then(function (response) {
        return response.ok ? response.json() : { suggestions: [] };
      }).then(function (data) {
        if (ticket === latest) { show(data.suggestions || []); }
      }).catch(function () { close(); });
    }

    input.addEventListener("input", function () {
      window.clearTimeout(timer);
      timer = window.setTimeout(fetchSuggestions, DELAY_MS);
    });
    input.addEventListener("keydown", function (event) {
      var open = !list.hidden && options.length > 0;
      if (event.key === "ArrowDown") {
        if (!open) { return; }
        event.preventDefault();
        highlight(active + 1 < options.length ? active + 1 : 0);
      } else if (event.key === "ArrowUp") {
        if (!open) { return; }
        event.preventDefault();
        highlight(active > 0 ? active - 1 : options.length - 1);
      } else if (event.key === "Enter") {
        if (open && active >= 0) {
          event.preventDefault();
          window.location.assign(options[active].url);
        }
      } else if (event.key === "Escape") {
        if (open) {
          event.preventDefault();
          close();
        }
      }
    });
    input.addEventListener("focus", ensureStatus);
    input.addEventListener("blur", function () { close(); });
  }

  Array.prototype.forEach.call(
    document.querySelectorAll("form.app-search[data-suggest-url]"), enhance
  );
})();
