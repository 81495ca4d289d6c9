/* Behaviour shared by every page. Pages work without it; it only enhances them.
   No inline scripts anywhere: the Content Security Policy forbids them. */
(function () {
  "use strict";

  function cookie(name) {
    var match = document.cookie.match(new RegExp("(?:^|; )" + name + "=([^;]*)"));
    return match ? decodeURIComponent(match[1]) : "";
  }

  // htmx requests that change data carry Django's CSRF token, like the forms do.
  document.addEventListener("htmx:config:request", function (event) {
    var request = event.detail && event.detail.ctx && event.detail.ctx.request;
    if (request && !/^(GET|HEAD|OPTIONS)$/i.test(request.method || "GET")) {
      var token = cookie("csrftoken");
      if (token) {
        request.headers["X-CSRFToken"] = token;
      }
    }
  });

  // Print buttons: <button type="button" data-portal-print>.
  document.addEventListener("click", function (event) {
    var button = event.target.closest && event.target.closest("[data-portal-print]");
    if (button) {
      event.preventDefault();
      window.print();
    }
  });

  // A printed profile or programme shows every collapsed section; they close again afterwards.
  var openedForPrint = [];
  window.addEventListener("beforeprint", function () {
    document.querySelectorAll("details:not([open])").forEach(function (details) {
      details.open = true;
      openedForPrint.push(details);
    });
  });
  window.addEventListener("afterprint", function () {
    openedForPrint.forEach(function (details) {
      details.open = false;
    });
    openedForPrint = [];
  });

  // Filter forms marked data-portal-autosubmit apply a changed select at once when htmx is absent;
  // with htmx the form's own hx-trigger does it.
  document.addEventListener("change", function (event) {
    var form = event.target.form;
    if (!form || !form.hasAttribute("data-portal-autosubmit") || window.htmx) {
      return;
    }
    if (event.target.tagName === "SELECT") {
      form.requestSubmit ? form.requestSubmit() : form.submit();
    }
  });

  // Tables and chart data that scroll inside their box (on narrow screens, or long lists) can be
  // scrolled from the keyboard: such a box takes the focus, named after its table's caption.
  function makeScrollersFocusable() {
    document.querySelectorAll(".portal-table-wrap, .portal-chart__data").forEach(function (box) {
      var scrolls = box.scrollWidth > box.clientWidth + 1 || box.scrollHeight > box.clientHeight + 1;
      if (!scrolls) {
        if (box.hasAttribute("data-portal-scroller")) {
          box.removeAttribute("tabindex");
        }
        return;
      }
      if (!box.hasAttribute("tabindex")) {
        box.setAttribute("tabindex", "0");
        box.setAttribute("data-portal-scroller", "");
        var caption = box.querySelector("caption");
        if (caption && caption.textContent.trim()) {
          box.setAttribute("role", "region");
          box.setAttribute("aria-label", caption.textContent.trim());
        }
      }
    });
  }
  makeScrollersFocusable();
  window.addEventListener("resize", makeScrollersFocusable);
  document.addEventListener("htmx:afterSettle", makeScrollersFocusable);

  // A form that comes back with errors puts the focus on its error summary, which links to each field.
  var errorSummary = document.getElementById("error-summary");
  if (errorSummary) {
    errorSummary.focus();
  }
  // A link of the error summary puts the focus in its field (a bare #anchor would only scroll to it).
  document.addEventListener("click", function (event) {
    var link = event.target.closest && event.target.closest("#error-summary a[href^='#']");
    var field = link && document.getElementById(link.getAttribute("href").slice(1));
    if (field) {
      event.preventDefault();
      var label = document.querySelector("label[for='" + field.id + "']");
      (label || field).scrollIntoView();
      field.focus({ preventScroll: true });
    }
  });

  // The design system's character count writes its messages in English: say them in the page's
  // language with the portal's catalogue (Django's JavaScriptCatalog, loaded before this script).
  var ngettext = window.ngettext || function (one, many, n) { return n === 1 ? one : many; };
  var interpolate = window.interpolate || function (text, values) { return text.replace("%s", values[0]); };
  var COUNT_MESSAGE = /^(\d+) characters? (allowed|left|over limit)$/;
  function translateCount(element) {
    var match = COUNT_MESSAGE.exec(element.textContent.trim());
    if (!match) {
      return;
    }
    var n = parseInt(match[1], 10);
    var text;
    if (match[2] === "allowed") {
      text = ngettext("%s character allowed", "%s characters allowed", n);
    } else if (match[2] === "left") {
      text = ngettext("%s character left", "%s characters left", n);
    } else {
      text = ngettext("%s character over limit", "%s characters over limit", n);
    }
    // The number as the page's language writes it: "4 000" in French (a no-break space, as the pages'
    // figures), "4,000" in English.
    var figure = n.toLocaleString(document.documentElement.lang || undefined).replace(/\u202f/g, "\u00a0");
    text = interpolate(text, [figure]);
    // Writing the same text again would wake the observer below for ever.
    if (text !== element.textContent) {
      element.textContent = text;
    }
  }
  document.querySelectorAll(".usa-character-count").forEach(function (group) {
    var observer = new MutationObserver(function () {
      group.querySelectorAll(".usa-character-count__status, .usa-character-count__sr-status").forEach(translateCount);
    });
    observer.observe(group, { childList: true, subtree: true, characterData: true });
    group.querySelectorAll(".usa-character-count__status, .usa-character-count__sr-status").forEach(translateCount);
  });

  // The design system's file input writes its instructions and status in English, too.
  var gettext = window.gettext || function (text) { return text; };
  var FILE_INPUT_TEXT = {
    "Drag file here or": gettext("Drag file here or"),
    "Drag files here or": gettext("Drag files here or"),
    "choose from folder": gettext("choose from folder"),
    "Choose from folder": gettext("Choose from folder"),
    "Selected file": gettext("Selected file"),
    "Selected files": gettext("Selected files"),
    "Change file": gettext("Change file"),
    "Change files": gettext("Change files"),
    "No file selected.": gettext("No file selected."),
    "No files selected.": gettext("No files selected."),
    "Error: This is not a valid file type.": gettext("Error: This is not a valid file type.")
  };
  var SELECTED_PREFIX = "You have selected the file: ";
  function translateFileInput(root) {
    var walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
    var node;
    while ((node = walker.nextNode())) {
      var text = node.nodeValue;
      var key = text.trim();
      var translated = FILE_INPUT_TEXT[key];
      if (translated === undefined && text.indexOf(SELECTED_PREFIX) === 0) {
        translated = gettext("You have selected the file: ") + text.slice(SELECTED_PREFIX.length);
        key = text;
      }
      if (translated !== undefined && translated !== key) {
        node.nodeValue = text.replace(key, translated);
      }
    }
  }
  document.querySelectorAll("input[type=file]").forEach(function (input) {
    var group = input.closest(".usa-form-group") || input.parentNode;
    new MutationObserver(function () {
      translateFileInput(group);
    }).observe(group, { childList: true, subtree: true, characterData: true });
    translateFileInput(group);
  });

  // A table wider than its box scrolls inside it: say so above it, and let the keyboard scroll it too.
  function markOverflowingTables() {
    document.querySelectorAll(".portal-table-wrap").forEach(function (wrap) {
      var overflows = wrap.scrollWidth > wrap.clientWidth + 1;
      var hint = wrap.previousElementSibling;
      if (!hint || !hint.classList.contains("portal-scroll-hint")) {
        hint = document.createElement("p");
        hint.className = "portal-scroll-hint";
        hint.textContent = gettext("Scroll sideways to see every column");
        wrap.parentNode.insertBefore(hint, wrap);
      }
      hint.classList.toggle("portal-scroll-hint--shown", overflows);
      if (overflows) {
        wrap.setAttribute("tabindex", "0");
        var caption = wrap.querySelector("caption");
        wrap.setAttribute("role", "region");
        wrap.setAttribute("aria-label", caption ? caption.textContent.trim() : gettext("Table"));
      } else {
        wrap.removeAttribute("tabindex");
        wrap.removeAttribute("role");
        wrap.removeAttribute("aria-label");
      }
    });
  }
  markOverflowingTables();
  window.addEventListener("resize", markOverflowingTables);
  document.addEventListener("htmx:afterSettle", markOverflowingTables);

  // Print buttons are hidden until this script runs, since they need it.
  document.documentElement.classList.add("portal-js");
})();
