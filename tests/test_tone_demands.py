"""Demands for a person, urgency, threats and anger in Danish, Norwegian and Russian, as the
grown lexicons read them, and the calm look-alikes they must leave calm (a manager in passing,
a timing question, a negated demand, a court or a lawyer in a calm context).

The sentences are written for these tests, not taken from the tone set."""

from __future__ import annotations

import pytest

from responder.models import CueKind
from responder.tone import detect_tone

HUMAN = CueKind.HUMAN
URGENCY = CueKind.URGENCY
THREAT = CueKind.THREAT
ANGER = CueKind.ANGER

ESCALATED = [
    # Danish: a person, in definite forms and with the verb second
    ("da", HUMAN, "Giv mig lederen i telefonen."),
    ("da", HUMAN, "Kan jeg få fat i en overordnet?"),
    ("da", HUMAN, "Jeg vil have min sag eskaleret."),
    ("da", HUMAN, "Jeg vil have sagen sendt videre til afdelingslederen."),
    ("da", HUMAN, "Kan en supervisor kigge på min sag?"),
    ("da", HUMAN, "Stil mig videre til nogen, der faktisk kan bestemme noget."),
    ("da", HUMAN, "Er der en leder til stede?"),
    # Danish: urgency
    ("da", URGENCY, "Spær kortet straks, det er stjålet."),
    ("da", URGENCY, "Refunder beløbet med det samme."),
    ("da", URGENCY, "Det skal ordnes nu."),
    ("da", URGENCY, "Jeg skal have varen senest i morgen."),
    ("da", URGENCY, "Kunne I spærre kortet med det samme?"),
    ("da", URGENCY, "Det er presserende."),
    # Danish: threats
    ("da", THREAT, "Så går sagen til Nævnenes Hus."),
    ("da", THREAT, "I får én stjerne fra mig."),
    ("da", THREAT, "Jeg har bedt banken om en tilbageføring."),
    ("da", THREAT, "Så skifter jeg til Zalando."),
    ("da", THREAT, "Det var sidste gang, jeg handlede hos jer."),
    ("da", THREAT, "Jeg tror, TV2 vil være interesserede i den her historie."),
    # Danish: anger
    ("da", ANGER, "Nu er jeg altså træt af det her."),
    ("da", ANGER, "Det er simpelthen ikke i orden."),
    ("da", ANGER, "Hvad bilder I jer ind?"),
    ("da", ANGER, "Godt gået, nu har I sendt min pakke til Ribe i stedet for Rødby 👏"),
    # Norwegian
    ("nb", HUMAN, "Sett meg over til noen som faktisk kan bestemme."),
    ("nb", HUMAN, "Kan jeg få nummeret til sjefen deres?"),
    ("nb", HUMAN, "Jeg vil snakke med nærmeste leder."),
    ("nb", HUMAN, "Få en leder til å ringe meg."),
    ("nb", URGENCY, "Sperr kortet med en gang."),
    ("nb", URGENCY, "Send ny faktura umiddelbart."),
    ("nb", URGENCY, "Jeg trenger pengene raskest mulig."),
    ("nb", URGENCY, "sperr kortet naa!"),
    ("nb", URGENCY, "Jeg vil ha det doble trekket tilbake med en gang."),
    ("nb", THREAT, "Da blir det Elkjøp neste gang. Dere har mista en kunde."),
    ("nb", THREAT, "Dere blir politianmeldt."),
    ("nb", THREAT, "Jeg har bedt banken om å reklamere på kortbetalingen."),
    ("nb", THREAT, "Dette havner i VG."),
    ("nb", ANGER, "Dette er ikke greit i det hele tatt."),
    ("nb", ANGER, "Nå er jeg skikkelig lei."),
    ("nb", ANGER, "jeg er saa forbanna naa"),
    # Russian: cases and aspect pairs
    ("ru", HUMAN, "Переведите меня на оператора."),
    ("ru", HUMAN, "Я напишу вашему руководству."),
    ("ru", HUMAN, "Мне нужно срочно связаться с руководством."),
    ("ru", HUMAN, "Можно человека, а не бота?"),
    ("ru", HUMAN, "Позови человека."),
    ("ru", URGENCY, "Разблокируйте счёт сегодня."),
    ("ru", URGENCY, "Отправьте СДЭКом прямо сейчас."),
    ("ru", URGENCY, "Мне нужен срочный возврат."),
    ("ru", URGENCY, "Не могу больше ждать."),
    ("ru", THREAT, "Больше не буду у вас заказывать."),
    ("ru", THREAT, "Это вам так просто с рук не сойдёт."),
    ("ru", THREAT, "Буду оспаривать платёж через банк."),
    ("ru", THREAT, "Всё, ухожу от вас."),
    ("ru", ANGER, "Что за бред?"),
    ("ru", ANGER, "Это уже ни в какие ворота."),
    ("ru", ANGER, "Сколько можно ждать возврата?"),
    ("ru", ANGER, "Отличная работа, курьер оставил посылку под дождём 👏"),
    # plural and definite forms, indirect threats, direct debits
    ("da", HUMAN, "Jeg vil tale med en af jeres ledere."),
    ("da", HUMAN, "Jeg vil have fat i chefen."),
    ("nb", HUMAN, "Jeg vil snakke med sjefene."),
    ("ru", HUMAN, "Пожалуюсь начальнику."),
    ("ru", HUMAN, "Прошу соединить с руководителем."),
    ("da", THREAT, "Jeg tilbagefører betalingen i Betalingsservice."),
    ("da", THREAT, "Jeg tror, Ekstra Bladet ville elske den her historie."),
    ("nb", THREAT, "Jeg tror VG hadde syntes dette var interessant."),
    ("ru", THREAT, "Думаю, журналистам это будет интересно."),
    ("ru", THREAT, "Обращусь к финансовому уполномоченному."),
    ("da", URGENCY, "Jeg skal bruge kjolen til brylluppet på lørdag."),
    ("ru", URGENCY, "Мне нужна карта до пятницы, я улетаю."),
]

CALM = [
    # negated demands
    ("da", "Ingen grund til at sende mig videre til nogen leder, jeg vil bare have en faktura."),
    ("da", "Det er ikke nødvendigt at stille mig videre til en chef."),
    ("nb", "Det er ingen grunn til å sette meg over til en sjef."),
    ("ru", "Звонить вашему руководителю не нужно, просто скажите, когда придёт посылка."),
    ("ru", "Мне не нужен менеджер, просто скажите, где посылка."),
    # a manager in passing, praised, or already involved
    ("da", "Lederen i jeres butik i Odense sagde, at jeg kunne returnere den her."),
    ("da", "Jeg vil gerne rose jeres butikschef i Aarhus."),
    ("da", "Jeg har fået en mail om, at min sag er sendt videre til en leder. Hvornår hører jeg"
     " noget?"),
    ("nb", "Jeg fikk en telefon fra en person som sa han var fra banken. Er det dere?"),
    ("ru", "Руководитель нашего отдела попросил счёт с НДС."),
    ("ru", "Передайте благодарность руководству, курьер молодец."),
    ("ru", "Мне пришло письмо, что моё обращение передано руководителю. Когда будет ответ?"),
    # questions about timing, and time words about the customer's own plans
    ("da", "Skal jeg spærre kortet med det samme, eller kan det vente?"),
    ("da", "Kan I sende pakken i dag?"),
    ("da", "Jeg ringede til banken med det samme, og de sagde, jeg skulle skrive til jer."),
    ("da", "Er der noget, der haster, før jeg rejser?"),
    ("da", "Hvordan får jeg pengene tilbage hurtigst muligt?"),
    ("da", "Luk mit gamle kort, nu hvor jeg har fået et nyt."),
    ("nb", "Må jeg sperre kortet med en gang?"),
    ("nb", "Jeg ringte banken med en gang, og de ba meg skrive til dere."),
    ("ru", "Срочно ли нужно менять пароль, если пришло странное СМС?"),
    ("ru", "Насколько срочно нужно менять ПИН после утечки?"),
    ("ru", "Какая комиссия за срочный перевод?"),
    ("ru", "Можно доставить сегодня?"),
    ("ru", "Отправьте заказ в пятницу, сегодня меня не будет дома."),
    # courts, lawyers, the police, reviews and banks in a calm context
    ("da", "Jeg læste anmeldelserne på Trustpilot, før jeg bestilte."),
    ("da", "Jeg skal bruge kontoudtog til min advokat."),
    ("da", "Hvordan klager jeg til Forbrugerklagenævnet, hvis det bliver nødvendigt?"),
    ("da", "Banken siger, at betalingen er tilbageført, men I siger, den er betalt."),
    ("nb", "Jeg trenger kontoutskrift til advokaten min."),
    ("nb", "Banken sier betalingen er tilbakeført, men dere sier den er betalt."),
    ("ru", "Для суда по разводу мне нужна выписка по счёту."),
    ("ru", "Судебные приставы списали деньги с карты, что делать?"),
    ("ru", "Подала заявление в полицию на мошенников, которые звонили от имени банка."),
    ("ru", "Читала отзывы на Отзовике, решила заказать у вас."),
    ("ru", "Когда придёт возвратный платёж?"),
    ("ru", "Банк посоветовал обратиться к вам, чтобы вернуть деньги."),
    # leaving, competitors and moving, said calmly
    ("da", "Jeg lukker min konto og flytter til Spanien."),
    ("da", "Jeg bruger aldrig kortet mere, kan I lukke det?"),
    ("nb", "Da blir det retur i stedet, hvordan gjør jeg det?"),
    ("nb", "Jeg går til Coop i morgen for å hente pakken."),
    ("ru", "В Wildberries этот товар дешевле, сделаете скидку?"),
    # words that look like anger
    ("da", "Jeg blev lidt skuffet over farven, kan jeg bytte jakken?"),
    ("da", "Det er lidt pinligt, men jeg har glemt min adgangskode."),
    ("da", "Den nye sofa er sindssygt lækker, tak!"),
    ("da", "Hvor mange gange må jeg bytte en vare?"),
    ("nb", "Nå er jeg lei meg for at jeg bestilte feil størrelse."),
    ("nb", "Jakka er vanvittig digg, takk!"),
    ("ru", "Сколько можно хранить посылку в пункте выдачи?"),
    ("ru", "Крем раздражает кожу, можно вернуть?"),
    ("ru", "Заказываю у вас уже в третий раз, всё отлично!"),
    ("ru", "Это не робот-пылесос, а обычный, я заказывала другой."),
    ("ru", "Одной упаковки хватит."),
    ("ru", "Это слишком большой размер, можно поменять?"),
    ("ru", "Я вне себя от радости, спасибо!"),
    ("da", "Jeg kunne ikke få fat i chefen for pakkeshoppen, så jeg skriver her."),
    ("da", "Hvornår tilbagefører I betalingen?"),
    ("da", "Jeg er rasende glad for jakken!"),
    ("ru", "Напишу своему директору, чтобы оплатил."),
    ("ru", "Передайте мой вопрос в отдел возвратов, пожалуйста."),
    ("ru", "Я в шоке, как быстро пришло!"),
    ("ru", "Интересная статья в газете про ваш магазин была."),
    # names in capitals
    ("da", "Jeg har købt LEGO til min søn, kan jeg bytte det?"),
    ("ru", "Оплатила через СБЕР, деньги не пришли"),
]


@pytest.mark.parametrize(("language", "kind", "text"), ESCALATED)
def test_demands_threats_and_anger_are_read(language: str, kind: CueKind, text: str) -> None:
    tone = detect_tone(text, language)
    assert tone.has(kind) and tone.escalated, tone


@pytest.mark.parametrize(("language", "text"), CALM)
def test_calm_look_alikes_stay_calm(language: str, text: str) -> None:
    tone = detect_tone(text, language)
    assert not tone.escalated, tone


def test_a_danish_only_word_does_not_count_in_english() -> None:
    assert not detect_tone("Is this absurdly cheap or a mistake?", "en").escalated
    assert detect_tone("Det er fuldstændig absurd.", "da").has(ANGER)
