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

  // Print buttons are hidden until this script runs, since they need it.
  document.documentElement.classList.add("portal-js");
})();
