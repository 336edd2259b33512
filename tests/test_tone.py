"""Tone detection: escalation signs in five languages, and the content left after venting."""

from __future__ import annotations

import re

import pytest

from responder import tone_rules
from responder.models import CueKind, Tone, ToneLevel
from responder.tone import content_sentences, content_text, detect_tone
from responder.tone_patterns import WordPatterns, first_letters, word_starts

ANGER, SHOUTING, INSULT = CueKind.ANGER, CueKind.SHOUTING, CueKind.INSULT
THREAT, HUMAN, URGENCY = CueKind.THREAT, CueKind.HUMAN, CueKind.URGENCY
CALM, UPSET, ANGRY, HOSTILE = ToneLevel.CALM, ToneLevel.UPSET, ToneLevel.ANGRY, ToneLevel.HOSTILE

CALM_MESSAGES = [
    ("en", "Hi, I have a problem with my order: the parcel arrived damaged. Can I get a new one?"),
    ("en", "I want to cancel my order, please."),
    ("en", "The store manager at the branch said I could return it there."),
    ("en", "Thanks!"),
    ("en", "The ATM kept my card after I typed the wrong PIN. What should I do?"),
    ("en", "How do I kill the subscription before it renews?"),
    ("en", "Sorry if this is a stupid question, but how do I change my address?"),
    ("en", "Is it possible to pay with PayPal or MobilePay? I need the VAT on the PDF invoice."),
    ("en", "My card was stolen, should I report it to the police?"),
    ("en", "Fraudsters used my card details. Can you block the card?"),
    ("en", "Sue from your team helped me last time, thank you!"),
    ("en", "It's not urgent, reply whenever you have time."),
    ("en", "The price is wrong on the product page, it says 20 EUR but I paid 25."),
    ("da", "Hej, jeg har et problem med min ordre. Pakken kom beskadiget frem, kan I sende en ny?"),
    ("da", "Jeg vil gerne annullere min ordre."),
    ("da", "Butikschefen sagde, at jeg kunne returnere varen i butikken."),
    ("da", "Tak!"),
    ("da", "Hæveautomaten har slugt mit kort, efter jeg tastede forkert PIN. Hvad gør jeg?"),
    ("da", "Jeg leder efter min pakke, den er sendt med GLS."),
    ("da", "Hvorfor koster den tyve kroner mere end i går?"),
    ("da", "Undskyld det dumme spørgsmål, men hvordan ændrer jeg min adresse?"),
    ("da", "Det haster ikke, svar bare når I har tid."),
    ("da", "Jeg vil gerne klage over en vare, der var i stykker."),
    ("nb", "Hei, jeg har et problem med bestillingen. Pakken kom skadet, kan dere sende en ny?"),
    ("nb", "Jeg vil gjerne avbestille ordren min."),
    ("nb", "Butikksjefen sa at jeg kunne returnere varen i butikken."),
    ("nb", "Takk!"),
    ("nb", "Minibanken beholdt kortet etter at jeg tastet feil PIN. Hva gjør jeg nå?"),
    ("nb", "Jeg er lei meg for at jeg skrev feil adresse, kan dere endre den?"),
    ("nb", "Beklager det dumme spørsmålet, men hvordan endrer jeg adressen?"),
    ("nb", "Vipps-betalingen ble avvist, men beløpet er trukket fra kontoen min."),
    ("de", "Hallo, das Paket kam beschädigt an. Können Sie mir Ersatz schicken?"),
    ("de", "Ich möchte meine Bestellung stornieren."),
    ("de", "Der Filialleiter hat gesagt, ich kann die Ware im Laden zurückgeben."),
    ("de", "Danke!"),
    ("de", "Der Geldautomat hat meine Karte nach falscher PIN-Eingabe eingezogen. Was nun?"),
    ("de", "Ich möchte die Lederjacke zurückgeben, sie ist mir zu klein."),
    ("de", "Dummerweise habe ich die falsche Adresse angegeben."),
    ("de", "Die Rückbuchung ist noch nicht auf meinem Konto, wann kommt sie?"),
    ("de", "Der Drittanbieter hat mir eine Rechnung mit falscher MwSt geschickt."),
    ("de", "Es eilt nicht, antworten Sie einfach, wenn Sie Zeit haben."),
    ("ru", "Здравствуйте, посылка пришла повреждённой. Можно прислать замену?"),
    ("ru", "Хочу отменить заказ, пожалуйста."),
    ("ru", "Менеджер магазина сказал, что я могу вернуть товар в пункте выдачи."),
    ("ru", "Спасибо!"),
    ("ru", "Банкомат съел мою карту после того, как я ввёл неправильный ПИН. Что делать?"),
    ("ru", "Мошенники списали деньги с моей карты, заблокируйте её, пожалуйста."),
    ("ru", "Извините за глупый вопрос, но как поменять адрес доставки?"),
    ("ru", "Я ищу свой заказ, он отправлен через СДЭК."),
    ("ru", "Это не срочно, ответьте, когда будет время."),
]


@pytest.mark.parametrize(("language", "text"), CALM_MESSAGES)
def test_calm_messages_have_no_cues(language: str, text: str) -> None:
    tone = detect_tone(text, language)
    assert tone.cues == ()
    assert tone.level is CALM
    assert not tone.escalated


ESCALATED_MESSAGES = [
    # (language, text, level, cue kinds that must be present)
    ("en", "Your stupid machine ATE MY CARD!!!", HOSTILE, {INSULT, SHOUTING}),
    ("en", "This is ridiculous. I'm asking for the third time where my refund is.", ANGRY, {ANGER}),
    ("en", "I'm fed up with this.", UPSET, {ANGER}),
    ("en", "WHERE IS MY PARCEL I HAVE BEEN WAITING FOR THREE WEEKS", ANGRY, {SHOUTING}),
    ("en", "Where is my parcel?!", UPSET, {SHOUTING}),
    ("en", "You are a bunch of scammers and thieves.", HOSTILE, {INSULT}),
    ("en", "fucking useless app won't let me log in", HOSTILE, {INSULT}),
    ("en", "If I don't get my money back by Friday I will contact my lawyer.", HOSTILE, {THREAT}),
    ("en", "I'll leave a bad review on Trustpilot.", HOSTILE, {THREAT}),
    ("en", "I'm going to file a chargeback with my bank.", HOSTILE, {THREAT}),
    ("en", "I will never order from you again, I'm going to your competitor.", HOSTILE, {THREAT}),
    ("en", "I want to speak to a manager.", CALM, {HUMAN}),
    ("en", "Let me talk to a real person, this is unacceptable.", UPSET, {HUMAN, ANGER}),
    ("en", "This is urgent, I need my card today.", UPSET, {URGENCY}),
    ("da", "Det er simpelthen for dårligt. Og ingen svarer!", ANGRY, {ANGER}),
    ("da", "Det er tredje gang, jeg skriver. Hvor er pengene?", UPSET, {ANGER}),
    ("da", "HVOR ER MIN PAKKE? JEG HAR VENTET I TRE UGER", ANGRY, {SHOUTING}),
    ("da", "I er nogle svindlere og tyveknægte.", HOSTILE, {INSULT}),
    ("da", "Jeres lortebutik har snydt mig!", HOSTILE, {INSULT}),
    ("da", "Får jeg ikke pengene, går jeg til Forbrugerombudsmanden.", HOSTILE, {THREAT}),
    ("da", "Jeg giver jer en dårlig anmeldelse på Trustpilot.", HOSTILE, {THREAT}),
    ("da", "Jeg vil gerne tale med en leder.", CALM, {HUMAN}),
    ("da", "Må jeg tale med et rigtigt menneske?", CALM, {HUMAN}),
    ("da", "Det haster, jeg skal have kortet i dag.", UPSET, {URGENCY}),
    ("da", "Fuck, appen virker stadig ikke.", HOSTILE, {INSULT}),
    ("nb", "Dette er helt uakseptabelt, og ingen svarer på e-postene mine.", ANGRY, {ANGER}),
    ("nb", "Jeg er så drittlei av dere.", UPSET, {ANGER}),
    ("nb", "Dere er en gjeng med svindlere og tyver.", HOSTILE, {INSULT}),
    ("nb", "Faen, hva er det med denne drittappen?", HOSTILE, {INSULT}),
    ("nb", "Får jeg ikke pengene tilbake, tar jeg saken til Forbrukertilsynet.", HOSTILE, {THREAT}),
    ("nb", "Jeg handler aldri hos dere igjen.", HOSTILE, {THREAT}),
    ("nb", "Kan jeg få snakke med et ekte menneske?", CALM, {HUMAN}),
    ("nb", "Jeg vil snakke med lederen din.", CALM, {HUMAN}),
    ("nb", "Det haster, jeg må ha kortet i dag.", UPSET, {URGENCY}),
    ("de", "Eine Frechheit! Ich schreibe zum dritten Mal und niemand antwortet.", ANGRY, {ANGER}),
    ("de", "WO IST MEIN PAKET? ICH WARTE SEIT DREI WOCHEN!!!", ANGRY, {SHOUTING}),
    ("de", "Sie Betrüger! Ihr seid doch alle Verbrecher.", HOSTILE, {INSULT}),
    ("de", "So ein Scheißladen, nichts funktioniert!", HOSTILE, {INSULT}),
    ("de", "Wenn das nicht bis Freitag erledigt ist, gehe ich zum Anwalt.", HOSTILE, {THREAT}),
    ("de", "Ich werde mich an die Verbraucherzentrale wenden.", HOSTILE, {THREAT}),
    ("de", "Ich bestelle nie wieder bei Ihnen.", HOSTILE, {THREAT}),
    ("de", "Ich möchte sofort Ihren Vorgesetzten sprechen.", UPSET, {HUMAN, URGENCY}),
    ("de", "Verbinden Sie mich bitte mit einem echten Menschen.", CALM, {HUMAN}),
    ("de", "Es ist dringend, ich brauche die Karte noch heute.", UPSET, {URGENCY}),
    ("ru", "Это безобразие! Пишу вам уже в третий раз, и никто не отвечает.", ANGRY, {ANGER}),
    ("ru", "ГДЕ МОЯ ПОСЫЛКА?! Я ЖДУ УЖЕ ТРИ НЕДЕЛИ", ANGRY, {SHOUTING}),
    ("ru", "Вы мошенники и воры!", HOSTILE, {INSULT}),
    ("ru", "Что за хрень, блять, опять ничего не работает?", HOSTILE, {INSULT, ANGER}),
    ("ru", "Если не вернёте деньги до пятницы, я подам в суд.", HOSTILE, {THREAT}),
    ("ru", "Обращусь в Роспотребнадзор и оставлю негативный отзыв.", HOSTILE, {THREAT}),
    ("ru", "Хочу поговорить с вашим руководителем.", CALM, {HUMAN}),
    ("ru", "Соедините меня с живым человеком!", CALM, {HUMAN}),
    ("ru", "Срочно заблокируйте карту, её украли.", UPSET, {URGENCY}),
]


@pytest.mark.parametrize(("language", "text", "level", "kinds"), ESCALATED_MESSAGES)
def test_escalated_messages(
    language: str, text: str, level: ToneLevel, kinds: set[CueKind]
) -> None:
    tone = detect_tone(text, language)
    assert {cue.kind for cue in tone.cues} >= kinds
    assert tone.level is level
    assert tone.escalated


@pytest.mark.parametrize(
    ("language", "text"), [(lang, text) for lang, text, *_ in ESCALATED_MESSAGES]
)
def test_cue_offsets_point_at_the_cue_text(language: str, text: str) -> None:
    for cue in detect_tone(text, language).cues:
        assert text[cue.start : cue.end] == cue.text


@pytest.mark.parametrize(
    ("language", "text"),
    [
        ("en", "I'm not angry, I just want to know where my parcel is."),
        ("en", "No need for a manager, just tell me when the refund arrives."),
        ("en", "I don't want to involve a lawyer, I only want the refund."),
        ("da", "Jeg er ikke sur, jeg vil bare vide, hvor min pakke er."),
        ("da", "Jeg har ikke brug for en leder, bare sig hvornår pengene kommer."),
        ("nb", "Jeg er ikke sint, jeg lurer bare på hvor pakken er."),
        ("nb", "Jeg trenger ikke en advokat, bare pengene mine."),
        ("de", "Ich bin nicht sauer, ich möchte nur wissen, wo mein Paket ist."),
        ("de", "Ich will keinen Anwalt einschalten, ich möchte nur mein Geld."),
        ("ru", "Я не злюсь, просто хочу узнать, где моя посылка."),
        ("ru", "Мне не нужен руководитель, просто скажите, когда придут деньги."),
        ("ru", "Я не собираюсь обращаться в суд, просто верните деньги."),
    ],
)
def test_negated_cues_do_not_count(language: str, text: str) -> None:
    tone = detect_tone(text, language)
    assert tone.cues == ()
    assert tone.level is CALM


@pytest.mark.parametrize(
    "text",
    [
        "If you don't refund me I will sue you.",
        "I won't hesitate to contact my lawyer.",
    ],
)
def test_negation_inside_a_condition_keeps_the_threat(text: str) -> None:
    assert detect_tone(text, "en").has(THREAT)


@pytest.mark.parametrize(
    ("text", "shouting"),
    [
        ("HELP", False),  # one or two words in capitals are not shouting
        ("REFUND PLEASE", False),
        ("My PIN and IBAN from the ATM receipt, sent via SMS and DHL", False),
        ("PayPal says PAYPAL, PostNord says POSTNORD", False),
        ("Thanks!", False),
        ("Why??", False),
        ("I did NOT order this", True),  # guideline: one emphasised word of 2+ letters counts
        ("I study at KU in Copenhagen", False),  # short capitals that are no known word
        ("Reply STOP to the order NS-40921 text", False),  # keyword and order code
        ("I want my MONEY BACK", True),
        ("Where is my parcel!!", True),
        ("Really?!", True),
        ("What???", True),
        ("Thank you so much, it finally arrived!!!", False),  # joy, not shouting
        ("Tusind tak for hjælpen!!", False),
        ("Thanks for nothing!!!", True),
    ],
)
def test_shouting(text: str, shouting: bool) -> None:
    assert detect_tone(text, "en").has(SHOUTING) is shouting


@pytest.mark.parametrize(
    ("language", "text"),
    [
        ("en", "Great, another delay!!"),
        ("en", "Are you kidding me? Third time I'm asking!"),
        ("da", "Jeg er ved at være godt træt af det."),
        ("nb", "Jeg begynner å bli skikkelig lei."),
        ("de", "Ist das Ihr Ernst? Meine Geduld ist langsam am Ende."),
        ("ru", "Я уже выхожу из себя."),
    ],
)
def test_frustration_as_natives_write_it(language: str, text: str) -> None:
    tone = detect_tone(text, language)
    assert tone.has(ANGER)
    assert tone.level in (UPSET, ANGRY)


def test_heavy_shouting_alone_is_angry_and_mild_shouting_upset() -> None:
    assert detect_tone("I WANT MY MONEY BACK RIGHT NOW", "en").level is ANGRY
    assert detect_tone("I want my MONEY BACK", "en").level is UPSET


def test_a_human_cue_does_not_raise_the_level() -> None:
    tone = detect_tone("Could I speak to a real person about my invoice, please?", "en")
    assert tone.has(HUMAN)
    assert tone.level is CALM
    assert tone.escalated


def test_english_swearing_is_found_in_other_languages() -> None:
    tone = detect_tone("Hvor er min fucking pakke?", "da")
    assert tone.has(INSULT)
    assert tone.level is HOSTILE


def test_patterns_of_other_languages_are_checked_when_detection_is_wrong() -> None:
    # Short Russian messages are easily misdetected; Cyrillic patterns are safe everywhere.
    assert detect_tone("Вы идиоты", "en").has(INSULT)
    assert detect_tone("Ich will Ihren Vorgesetzten!", "en").has(HUMAN)


def test_words_harmless_in_one_language_count_only_in_their_own() -> None:
    # German "Klage" is a lawsuit; Danish "klage" is to complain.
    assert detect_tone("Ich reiche Klage ein.", "de").has(THREAT)
    assert not detect_tone("Jeg vil gerne klage over varen.", "da").has(THREAT)


def test_an_unknown_language_uses_every_lexicon() -> None:
    assert detect_tone("Ich reiche Klage ein.", "fr").has(THREAT)


def test_card_example_keeps_the_request_without_the_insult() -> None:
    text = "Your stupid machine ATE MY CARD and nobody helps!!!"
    content = content_text(text, detect_tone(text, "en"))
    assert "machine ate my card" in content.lower()
    assert "stupid" not in content.lower()
    assert "!!" not in content
    assert "ATE" not in content


def test_content_keeps_acronyms_and_calm_text_as_written() -> None:
    text = "The ATM kept my card after I typed the wrong PIN."
    assert content_text(text, detect_tone(text, "en")) == text


def test_content_is_empty_when_only_venting_is_left() -> None:
    for text, language in [
        ("This is ridiculous!!! I want to speak to your manager!", "en"),
        ("Ich werde eine schlechte Bewertung bei Trustpilot schreiben.", "de"),
        ("Вы мошенники и воры!", "ru"),
        ("Thanks!", "en"),
    ]:
        assert content_text(text, detect_tone(text, language)) == ""


def test_content_sentences_drop_the_venting_sentences() -> None:
    text = (
        "This is absolutely unacceptable!!! You idiots, where is my parcel? "
        "I ordered it on 3 May.\nI will go to the press."
    )
    sentences = content_sentences(text, detect_tone(text, "en"))
    assert sentences == ["where is my parcel?", "I ordered it on 3 May."]


def test_content_of_a_mixed_german_message() -> None:
    text = "Sie Betrüger! Meine Karte wurde zweimal belastet. Ich will sofort mein Geld zurück!!!"
    sentences = content_sentences(text, detect_tone(text, "de"))
    assert sentences == ["Meine Karte wurde zweimal belastet.", "Ich will sofort mein Geld zurück!"]


def test_detection_is_deterministic() -> None:
    # Speed is measured by `python -m benchmarks.tone` and `benchmarks.offensive` (p50/p99), not
    # here: a wall-clock bound in a unit test failed CI on one stalled run (7 ms a message, 0.2 ms
    # on a quiet machine) without telling anything about the code.
    messages = [text for _, text in CALM_MESSAGES] + [m[1] for m in ESCALATED_MESSAGES]
    first = [detect_tone(text, "en") for text in messages]
    assert first == [detect_tone(text, "en") for text in messages]


def test_empty_text_is_calm() -> None:
    assert detect_tone("", "en") == Tone(CALM, ())
    assert content_text("", Tone(CALM, ())) == ""


@pytest.mark.parametrize(
    ("pattern", "letters"),
    [
        (r"(?:(?:contact|call)\s+)?(?:my\s+)?lawyers?", {"c", "m", "l"}),
        (r"(?<!som )et menneske", {"e"}),
        (r"(?:one|1|zero|0)[- ]star", {"o", "1", "z", "0"}),
        (r"(?:за|на)?[её]б(?:ан|ат)\w*", {"з", "н", "е", "ё"}),
        (r"\w*leder", None),
    ],
)
def test_first_letters_of_a_pattern(pattern: str, letters: set[str] | None) -> None:
    assert first_letters(pattern) == (None if letters is None else frozenset(letters))


def _one_alternation(kind: CueKind, language: str) -> re.Pattern[str]:
    patterns = []
    for code in tone_rules.LANGUAGES:
        lexicon = tone_rules.load_lexicon(code)
        patterns += lexicon.cues[kind]
        if code == language or language not in tone_rules.LANGUAGES:
            patterns += lexicon.local[kind]
    alternatives = "|".join(f"(?:{pattern})" for pattern in patterns)
    return re.compile(rf"(?<!\w)(?:{alternatives})(?!\w)", re.IGNORECASE)


@pytest.mark.parametrize("language", ["en", "da", "nb", "de", "ru", "xx"])
def test_letter_buckets_match_exactly_like_one_alternation(language: str) -> None:
    texts = [text for _, text in CALM_MESSAGES] + [m[1] for m in ESCALATED_MESSAGES]
    for kind, fast in tone_rules.cue_patterns(language):
        slow = _one_alternation(kind, language)
        for text in texts:
            plain = tone_rules.matchable(text)
            expected = [match.span() for match in slow.finditer(plain)]
            assert list(fast.spans(plain, word_starts(plain))) == expected, (kind, text)


def test_word_patterns_try_only_their_letter() -> None:
    patterns = WordPatterns([r"lawyers?", r"sue (?:you|them)"])
    text = "Sue, my lawyer, will sue you"
    assert [text[s:e] for s, e in patterns.spans(text, word_starts(text))] == [
        "lawyer",
        "sue you",
    ]


@pytest.mark.parametrize(
    ("language", "text", "kinds"),
    [
        # Guideline: one capital word of emphasis is shouting; "!!"/"?!" in a complaint too.
        ("da", "Jeg har IKKE bestilt det her abonnement.", {SHOUTING}),
        ("ru", "Я НЕ заказывала эту подписку.", {SHOUTING}),
        ("nb", "Trenger kvitteringen I DAG, ellers får jeg ikke refusjon.", {SHOUTING, URGENCY}),
        # Angry and eye-rolling emoji, sarcasm and exasperated questions are anger.
        ("en", "Your bot sent me the same useless link again 🙄", {ANGER}),
        ("de", "Wie schwer kann es denn sein, ein Paket richtig zu adressieren?", {ANGER}),
        ("da", "Hvem fanden har lavet den her hjemmeside?", {ANGER}),
        ("ru", "Достала уже эта ваша доставка, бардак какой-то.", {ANGER}),
        # Polite requests for someone senior, or for a person instead of the bot, are human.
        ("en", "Could you pass this on to someone more senior, please?", {HUMAN}),
        ("da", "Send venligst sagen videre til jeres overordnede.", {HUMAN}),
        ("nb", "Jeg vil at en leder ringer meg, ikke en chatbot.", {HUMAN}),
        ("de", "Bitte geben Sie meine Beschwerde an Ihren Vorgesetzten weiter.", {HUMAN}),
        ("ru", "Передайте, пожалуйста, мою жалобу вашему руководству.", {HUMAN}),
        # Demands for speed are urgency.
        ("en", "someone took money from my card, please freeze it immediately", {URGENCY}),
        ("da", "Kortet er stjålet, luk det med det samme.", {URGENCY}),
        ("nb", "Trenger kreditnotaen snarest mulig.", {URGENCY}),
        ("de", "Bitte überweisen Sie mir das Geld heute noch zurück.", {URGENCY}),
        ("ru", "Верните деньги как можно скорее.", {URGENCY}),
        # Leaving for a competitor, the press and a returned direct debit are threats.
        ("en", "I'll be ordering from Amazon instead.", {THREAT}),
        ("da", "Fremover må jeg nok handle hos Zalando.", {THREAT}),
        ("nb", "Da får jeg heller handle hos Elkjøp fremover.", {THREAT}),
        ("de", "Künftig bestelle ich bei Amazon.", {THREAT}),
        ("de", "Sonst lasse ich die Lastschrift zurückgehen.", {THREAT}),
        ("ru", "Если так пойдёт дальше, перейду на Wildberries.", {THREAT}),
    ],
)
def test_guideline_cues(language: str, text: str, kinds: set[CueKind]) -> None:
    assert {cue.kind for cue in detect_tone(text, language).cues} >= kinds


@pytest.mark.parametrize(
    ("language", "text"),
    [
        # Questions about timing are not demands; instructions in KB answers neither.
        ("en", "Do I need to block my card straight away if it is only lost at home?"),
        ("en", "Block your card straight away in the app; the block takes effect immediately."),
        ("da", "Haster det at spærre kortet, hvis det bare ligger derhjemme?"),
        ("da", "Betal med det samme med kort eller MobilePay."),
        ("nb", "Sperr kortet med en gang i appen, så sender vi et nytt."),
        ("de", "Soll ich die Karte sofort sperren, wenn sie nur verlegt ist?"),
        ("de", "Wir senden Ihnen sofort einen Link zum Zurücksetzen."),
        ("ru", "Нужно ли срочно блокировать карту, если она дома?"),
        # A lawyer as the customer's job is no threat.
        ("en", "I work as a lawyer and need an invoice with our company's VAT number."),
        ("ru", "Я работаю адвокатом, пришлите, пожалуйста, счёт на фирму."),
        # Praise with "!!" and a product name in capitals stay calm.
        ("en", "Great service, thanks!! The parcel came a day early."),
        ("de", "Was ist NORDLYS PLUS auf meiner Abrechnung?"),
    ],
)
def test_guideline_calm(language: str, text: str) -> None:
    assert detect_tone(text, language).cues == ()


def test_swearing_as_an_exclamation_is_anger_not_insult() -> None:
    tone = detect_tone("So eine Scheiße, die Bestellung ist schon wieder storniert.", "de")
    assert tone.has(ANGER)
    assert not tone.has(INSULT)
    assert detect_tone("Euer Kundenservice ist echt Scheiße.", "de").has(INSULT)
    assert detect_tone("for et jævla tullete system", "nb").has(ANGER)


@pytest.mark.parametrize("text", [
    "where can I find the best divorce lawyer",
    "give me a list of tax attorneys that practice in my city",
])
def test_a_lawyer_mentioned_in_passing_is_no_threat(text: str) -> None:
    assert not detect_tone(text, "en").has(CueKind.THREAT)


@pytest.mark.parametrize("text", [
    "I will contact my lawyer about this",
    "my attorney will hear about this",
    "I'm going to the press with this",
])
def test_bringing_in_a_lawyer_or_the_press_is_a_threat(text: str) -> None:
    assert detect_tone(text, "en").has(CueKind.THREAT)
