// Search as you type on the help centre. Without it the search form still works: this only
// fetches the same results page's list while the customer types and shows it in place.
(function () {
  "use strict";
  var form = document.querySelector("form.search");
  var input = form && form.querySelector("input[name=q]");
  var live = document.getElementById("live-results");
  if (!form || !input || !live) { return; }
  var timer = null;
  var latest = 0;
  input.setAttribute("aria-controls", "live-results");
  input.addEventListener("input", function () {
    clearTimeout(timer);
    var query = input.value.trim();
    if (query.length < 3) { live.innerHTML = ""; return; }
    timer = setTimeout(function () {
      var ticket = ++latest;
      fetch(form.getAttribute("data-suggest") + "?q=" + encodeURIComponent(query),
            {headers: {"Accept": "text/html"}})
        .then(function (response) { return response.ok ? response.text() : ""; })
        .then(function (html) { if (ticket === latest) { live.innerHTML = html; } })
        .catch(function () { /* the form still submits */ });
    }, 250);
  });
})();
