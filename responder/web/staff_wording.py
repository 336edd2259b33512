"""The staff pages' interface words in the five languages (by the browser's language)."""

from __future__ import annotations

STAFF_WORDS: dict[str, dict[str, str]] = {
    "en": {
        "staff": "Staff", "sign_in": "Sign in", "sign_out": "Sign out",
        "username": "Username", "password": "Password",
        "sign_in_failed": "The username or password is wrong, or the account is disabled.",
        "signed_in_as": "Signed in as", "home": "Start", "console": "Agent console",
        "search": "Search", "escalations": "Escalations", "editor": "Articles",
        "admin": "Administration", "users": "Users", "tokens": "API tokens",
        "events": "Event log", "error": "Something went wrong", "back": "Back to the start",
        "role": "Role", "your_work": "Your work",
        "console_lead": "Search past resolutions and articles, take escalations and resolve "
                        "them.",
        "editor_lead": "Write and update the knowledge base in every language.",
        "admin_lead": "Users, roles, API tokens and the event log.",
        "help_centre": "Help centre",
    },
    "da": {
        "staff": "Medarbejdere", "sign_in": "Log ind", "sign_out": "Log ud",
        "username": "Brugernavn", "password": "Adgangskode",
        "sign_in_failed": "Brugernavnet eller adgangskoden er forkert, eller kontoen er "
                          "deaktiveret.",
        "signed_in_as": "Logget ind som", "home": "Start", "console": "Agentkonsol",
        "search": "Søg", "escalations": "Eskaleringer", "editor": "Artikler",
        "admin": "Administration", "users": "Brugere", "tokens": "API-nøgler",
        "events": "Hændelseslog", "error": "Noget gik galt", "back": "Tilbage til start",
        "role": "Rolle", "your_work": "Dit arbejde",
        "console_lead": "Søg i tidligere løsninger og artikler, tag eskaleringer og løs dem.",
        "editor_lead": "Skriv og opdater vidensbasen på alle sprog.",
        "admin_lead": "Brugere, roller, API-nøgler og hændelsesloggen.",
        "help_centre": "Hjælpecenter",
    },
    "nb": {
        "staff": "Ansatte", "sign_in": "Logg inn", "sign_out": "Logg ut",
        "username": "Brukernavn", "password": "Passord",
        "sign_in_failed": "Brukernavnet eller passordet er feil, eller kontoen er deaktivert.",
        "signed_in_as": "Logget inn som", "home": "Start", "console": "Agentkonsoll",
        "search": "Søk", "escalations": "Eskaleringer", "editor": "Artikler",
        "admin": "Administrasjon", "users": "Brukere", "tokens": "API-nøkler",
        "events": "Hendelseslogg", "error": "Noe gikk galt", "back": "Tilbake til start",
        "role": "Rolle", "your_work": "Ditt arbeid",
        "console_lead": "Søk i tidligere løsninger og artikler, ta eskaleringer og løs dem.",
        "editor_lead": "Skriv og oppdater kunnskapsbasen på alle språk.",
        "admin_lead": "Brukere, roller, API-nøkler og hendelsesloggen.",
        "help_centre": "Hjelpesenter",
    },
    "de": {
        "staff": "Mitarbeiter", "sign_in": "Anmelden", "sign_out": "Abmelden",
        "username": "Benutzername", "password": "Passwort",
        "sign_in_failed": "Benutzername oder Passwort ist falsch, oder das Konto ist "
                          "deaktiviert.",
        "signed_in_as": "Angemeldet als", "home": "Start", "console": "Agentenkonsole",
        "search": "Suchen", "escalations": "Eskalationen", "editor": "Artikel",
        "admin": "Verwaltung", "users": "Benutzer", "tokens": "API-Tokens",
        "events": "Ereignisprotokoll", "error": "Etwas ist schiefgelaufen",
        "back": "Zurück zum Start", "role": "Rolle", "your_work": "Ihre Arbeit",
        "console_lead": "Frühere Lösungen und Artikel durchsuchen, Eskalationen übernehmen "
                        "und lösen.",
        "editor_lead": "Die Wissensdatenbank in allen Sprachen schreiben und pflegen.",
        "admin_lead": "Benutzer, Rollen, API-Tokens und das Ereignisprotokoll.",
        "help_centre": "Hilfecenter",
    },
    "ru": {
        "staff": "Сотрудники", "sign_in": "Войти", "sign_out": "Выйти",
        "username": "Имя пользователя", "password": "Пароль",
        "sign_in_failed": "Неверное имя пользователя или пароль, или учётная запись "
                          "отключена.",
        "signed_in_as": "Вы вошли как", "home": "Начало", "console": "Консоль агента",
        "search": "Поиск", "escalations": "Эскалации", "editor": "Статьи",
        "admin": "Администрирование", "users": "Пользователи", "tokens": "API-токены",
        "events": "Журнал событий", "error": "Что-то пошло не так", "back": "Назад к началу",
        "role": "Роль", "your_work": "Ваша работа",
        "console_lead": "Ищите прошлые решения и статьи, берите эскалации и решайте их.",
        "editor_lead": "Пишите и обновляйте базу знаний на всех языках.",
        "admin_lead": "Пользователи, роли, API-токены и журнал событий.",
        "help_centre": "Справочный центр",
    },
}
