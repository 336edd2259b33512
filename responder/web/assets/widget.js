// The help widget: one <script src="https://<help centre>/widget.js" data-language="da" defer>
// on any site gives a help button and a panel, inside a shadow root so that the host page's
// styles cannot reach it and its styles cannot reach the host page. While the customer writes,
// matching answers are shown; "This answers it" records a deflection and sends nothing; the
// form otherwise goes through the responder as a chat message.
(function () {
  "use strict";
  var me = document.currentScript;
  if (!me) { return; }
  var base = new URL(me.src).origin;
  var api = base + "/api/v1";
  var lang = (me.getAttribute("data-language") || document.documentElement.lang || "en").slice(0, 2);
  var WORDS = {
    en: {open: "Help", title: "How can we help?", message: "Your question", name: "Name",
         email: "Email (for the answer by mail)", send: "Send", close: "Close",
         solved: "This answers it", thanks: "Glad it helped.", error: "Could not send; please try again.",
         suggestions: "Maybe this answers it:"},
    da: {open: "Hjælp", title: "Hvordan kan vi hjælpe?", message: "Dit spørgsmål", name: "Navn",
         email: "E-mail (til svar pr. mail)", send: "Send", close: "Luk",
         solved: "Det svarer på det", thanks: "Godt, at det hjalp.", error: "Kunne ikke sende; prøv igen.",
         suggestions: "Måske svarer dette på det:"},
    nb: {open: "Hjelp", title: "Hvordan kan vi hjelpe?", message: "Spørsmålet ditt", name: "Navn",
         email: "E-post (for svar på e-post)", send: "Send", close: "Lukk",
         solved: "Dette svarer på det", thanks: "Fint at det hjalp.", error: "Kunne ikke sende; prøv igjen.",
         suggestions: "Kanskje dette svarer på det:"},
    de: {open: "Hilfe", title: "Wie können wir helfen?", message: "Ihre Frage", name: "Name",
         email: "E-Mail (für die Antwort per Mail)", send: "Senden", close: "Schließen",
         solved: "Das beantwortet es", thanks: "Schön, dass es geholfen hat.",
         error: "Senden fehlgeschlagen; bitte erneut versuchen.", suggestions: "Vielleicht hilft das:"},
    ru: {open: "Помощь", title: "Чем помочь?", message: "Ваш вопрос", name: "Имя",
         email: "E-mail (для ответа письмом)", send: "Отправить", close: "Закрыть",
         solved: "Это отвечает на вопрос", thanks: "Рады, что помогло.",
         error: "Не удалось отправить; попробуйте ещё раз.", suggestions: "Возможно, это ответ:"}
  };
  var w = WORDS[lang] || WORDS.en;
  var host = document.createElement("div");
  host.setAttribute("data-kb-responder-widget", "");
  document.body.appendChild(host);
  var root = host.attachShadow({mode: "open"});
  root.innerHTML =
    '<style>' +
    ':host{all:initial}*{box-sizing:border-box;font:16px/1.4 system-ui,sans-serif}' +
    '.open{position:fixed;right:16px;bottom:16px;z-index:2147483647;background:#1f5f8b;color:#fff;border:0;border-radius:32px;padding:12px 20px;cursor:pointer}' +
    '.panel{position:fixed;right:16px;bottom:72px;z-index:2147483647;width:352px;max-width:calc(100vw - 32px);background:#fff;color:#1b1b1b;border:1px solid #595959;border-radius:8px;padding:16px;box-shadow:0 4px 16px rgba(0,0,0,.25)}' +
    'label{display:block;margin-top:8px;font-weight:600}textarea,input{width:100%;padding:6.4px;border:1px solid #595959;border-radius:4px}' +
    'button{margin-top:8px;background:#1f5f8b;color:#fff;border:0;border-radius:4px;padding:8px 16px;cursor:pointer}' +
    'button.plain{background:#fff;color:#1f5f8b;border:1px solid #1f5f8b}.hp{position:absolute;left:-9999px}' +
    'button:focus,input:focus,textarea:focus{outline:3px solid #f2a900}h2{font-size:18px;margin:0}strong{font-weight:700}' +
    '</style>' +
    '<button class="open" type="button" aria-expanded="false"></button>' +
    '<section class="panel" role="dialog" aria-labelledby="kb-title" hidden>' +
    '<h2 id="kb-title"></h2>' +
    '<form novalidate>' +
    '<label for="kb-message" class="l-message"></label><textarea id="kb-message" name="message" rows="4" required maxlength="8000"></textarea>' +
    '<div class="suggestions" aria-live="polite"></div>' +
    '<label for="kb-name" class="l-name"></label><input id="kb-name" name="customer_name" maxlength="200" autocomplete="name">' +
    '<label for="kb-email" class="l-email"></label><input id="kb-email" name="customer_email" type="email" maxlength="320" autocomplete="email">' +
    '<div class="hp" aria-hidden="true"><label for="kb-website">Website</label><input id="kb-website" name="website" tabindex="-1" autocomplete="off"></div>' +
    '<button type="submit" class="send"></button> <button type="button" class="plain close"></button>' +
    '</form><div class="reply" aria-live="polite"></div></section>';
  var $ = function (selector) { return root.querySelector(selector); };
  $(".open").textContent = w.open;
  $("#kb-title").textContent = w.title;
  $(".l-message").textContent = w.message;
  $(".l-name").textContent = w.name;
  $(".l-email").textContent = w.email;
  $(".send").textContent = w.send;
  $(".close").textContent = w.close;
  var panel = $(".panel");
  var token = null;
  function toggle(show) {
    panel.hidden = !show;
    $(".open").setAttribute("aria-expanded", String(show));
    if (show) {
      $("#kb-message").focus();
      if (!token) {
        fetch(api + "/contact/form").then(function (r) { return r.json(); })
          .then(function (body) { token = body.form_token; });
      }
    }
  }
  $(".open").addEventListener("click", function () { toggle(panel.hidden); });
  $(".close").addEventListener("click", function () { toggle(false); });
  var timer = null;
  var latest = 0;
  $("#kb-message").addEventListener("input", function () {
    clearTimeout(timer);
    var question = this.value.trim();
    var box = $(".suggestions");
    if (question.length < 8) { box.textContent = ""; return; }
    timer = setTimeout(function () {
      var ticket = ++latest;
      fetch(api + "/search?k=3&language=" + lang + "&q=" + encodeURIComponent(question))
        .then(function (r) { return r.ok ? r.json() : {hits: []}; })
        .then(function (body) {
          if (ticket !== latest) { return; }
          box.textContent = "";
          var good = body.hits.filter(function (hit) { return hit.score >= 0.45; });
          if (!good.length) { return; }
          var heading = document.createElement("p");
          heading.textContent = w.suggestions;
          box.appendChild(heading);
          good.forEach(function (hit) {
            var item = document.createElement("div");
            var title = document.createElement("strong");
            title.textContent = hit.title;
            var answer = document.createElement("p");
            answer.textContent = hit.short_answer;
            var solved = document.createElement("button");
            solved.type = "button";
            solved.className = "plain solved";
            solved.textContent = w.solved;
            solved.addEventListener("click", function () {
              fetch(api + "/deflections", {method: "POST", headers: {"Content-Type": "application/json"},
                body: JSON.stringify({question: question, article_id: hit.article_id})});
              $("form").hidden = true;
              $(".reply").textContent = w.thanks;
            });
            item.appendChild(title); item.appendChild(answer); item.appendChild(solved);
            box.appendChild(item);
          });
        })
        .catch(function () { box.textContent = ""; });
    }, 300);
  });
  $("form").addEventListener("submit", function (event) {
    event.preventDefault();
    var form = event.target;
    var body = {message: form.message.value, customer_name: form.customer_name.value,
                customer_email: form.customer_email.value, website: form.website.value,
                language: lang, form_token: token || ""};
    fetch(api + "/contact", {method: "POST", headers: {"Content-Type": "application/json"},
                             body: JSON.stringify(body)})
      .then(function (r) { return r.json().then(function (data) { return {ok: r.ok, data: data}; }); })
      .then(function (result) {
        var reply = $(".reply");
        if (!result.ok) { reply.textContent = (result.data.error && result.data.error.message) || w.error; return; }
        form.hidden = true;
        reply.textContent = result.data.reply.text;
      })
      .catch(function () { $(".reply").textContent = w.error; });
  });
})();
