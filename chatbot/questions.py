"""What a question asks for: its parts, its content terms, and the kind of fact it expects."""

from __future__ import annotations

import re
from typing import Literal

from chatbot.retrieval.analysis import analyze

AnswerType = Literal["number", "year", "name", "price", "usage", "drawback"]

# Stems of words that frame a question rather than name its subject ("usually", "tell me").
_FRAMING = frozenset(
    analyze(
        "usually typically commonly generally normally really actually exactly basically "
        "tell explain describe mean meaning know want need get thing things way ways kind "
        "book lol hey ok okay please even"
    )
)
_QUESTION_WORD = r"(?:what|how|why|when|where|which|who|whom|whose|does|do|is|are|can|could|should)"
# A second question joined by "and"/"or"/";" or a second sentence ending in "?".
_PART_SPLIT = re.compile(
    rf"\?\s+(?=\S)|;\s*|,?\s+(?:and|or|but)\s+(?={_QUESTION_WORD}\b)|,\s+(?={_QUESTION_WORD}\b)",
    re.I,
)
_YEAR_Q = re.compile(
    r"\bwhen (?:did|was|were|had)\b|\bwhat year\b|\bwhich year\b|\bsince when\b"
    r"|\band when\s*\??\s*$",
    re.I,
)
_NUMBER_Q = re.compile(
    r"\bhow (?:much|many|fast|far|long|often|big|heavy|high|large|small|quick|hot|accurate)\b"
    r"|\b(?:what|which|at what)\b[^?]*\b(?:ratio|ratios|rate|rates|frequency|frequencies|speed|"
    r"range|resolution|percentage|number|size|distance|period|bandwidth|hertz|kilohertz|"
    r"value|values|error|step|steps|weight|mass|price|cost|accuracy|bits)\b",
    re.I,
)
_COMPANY = r"(?:company|companies|university|lab|laboratory|team|manufacturer|vendor|maker|firm)"
_NAME_Q = re.compile(rf"\b(?:who|whom|whose|which {_COMPANY}|what {_COMPANY})\b", re.I)
# Asking what something costs: only a sum of money answers, not any number.
_PRICE_Q = re.compile(
    r"\b(?:cost|costs|price|prices|priced|pay|buy|afford|expensive|cheap)\b", re.I
)
_MONEY = re.compile(
    r"[$\u20ac\u00a3\u00a5]\s?\d|\b\d[\d,.]*\s?(?:dollars|euros|pounds|usd|eur|k\$)\b"
    r"|\b(?:dollars|euros|usd|eur)\b",
    re.I,
)
# "When should I use X?" is answered by a sentence saying what X suits, not what X is.
_USAGE_Q = re.compile(
    r"\bwhen (?:should|shall|would|do|does|to|is it|are)\b[^?]*?\b(?:use|pick|choose|prefer|select)"
    r"|\bwhen to (?:use|pick|choose)\b|^\s*when (?!(?:did|was|were|is|are|does|do|had|has|will)\b)"
    r"\w+(?: \w+)?\s*\??\s*$",
    re.I,
)
_USAGE = re.compile(
    r"\bsuit(?:s|ed)?\b|\buse\b[^.;]{0,40}\bwhen\b|\b(?:appropriate|ideal|best suited|preferred)\b",
    re.I,
)
# "What are the downsides of X / what does X give up?" wants the cost, not the praise.
_DRAWBACK_Q = re.compile(
    r"\b(?:downsides?|drawbacks?|disadvantages?|limitations?|weaknesses|give up|gives up|"
    r"trade-?offs?|pay for)\b",
    re.I,
)
_DRAWBACK = re.compile(
    r"\b(?:but|however|although|drawbacks?|downsides?|disadvantages?|struggles?|cannot|"
    r"at the (?:cost|expense)|sacrific\w*|trade-?offs?|harder|unstable|limits?|lowers?|reduces?)\b",
    re.I,
)
_DIGIT = re.compile(r"\d")
_NUMBERED = re.compile(r"[\w-]*\d[\w-]*")
# A figure standing alone ("16 to 128", "6:1", "9.81"), not the digit of a name ("P2", "ros2",
# an acronym's "ROS 2"), or a count in words ("a depth of ten", "four numbers"; not "one",
# which is more often "one of" than a count).
_COUNT_WORD = re.compile(
    r"\b(?:two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|fifteen|twenty|thirty|"
    r"forty|fifty|hundreds?|thousands?|millions?|dozens?)\b",
    re.I,
)
_QUANTITY = re.compile(
    rf"(?<![\w-])(?<![A-Z]{{2}} )\d[\d,.:]*(?![\w-]*[^\W\d])|(?i:{_COUNT_WORD.pattern})"
)
YEAR = re.compile(r"\b(?:1[6-9]\d\d|20\d\d)s?\b")
# A capitalised word after the first, taken whole: a person, a company, a product ("EtherCAT"
# is one name, not the name "Ether" inside a word the question already used).
PROPER = re.compile(r"(?<=[\w,;:)] )[A-Z][\w\-]*\w")
MIN_PART_TERMS = 1


def content_terms(question: str) -> list[str]:
    """The analysed terms that name what is asked about, framing words left out."""
    terms = [t for t in analyze(question) if t not in _FRAMING]
    return terms or analyze(question)


# "The difference between A and B", "how does A differ from B", "A versus B": two subjects,
# each of which the answer must describe.
_COMPARISON = re.compile(
    r"\bdifferen(?:ce|ces) between (?P<a>.+?) and (?P<b>[^?]+)"
    r"|\b(?:how|in what way) (?:does|do|is|are) (?P<c>.+?) (?:differ|different) from (?P<d>[^?]+)"
    r"|\bcompare (?P<e>.+?) (?:and|with|to) (?P<f>[^?]+)"
    r"|^(?:\w+ )*?(?P<g>[^,?]+?) (?:vs\.?|versus) (?P<h>[^?]+)",
    re.I,
)


def _comparison_parts(question: str) -> list[str]:
    """The two things a comparison question sets side by side; none when it is not one."""
    match = _COMPARISON.search(question)
    if match is None:
        return []
    sides = [side.strip(" ,?") for side in match.groups() if side]
    return sides if all(content_terms(side) and analyze(side) for side in sides) else []


def question_parts(question: str) -> list[str]:
    """The separate questions in one ("What is X, and why Y?"); one part when it is single.

    A comparison is two parts, one per side, so that each side gets its own sentence.
    """
    pieces = [p.strip(" ,?") for p in _PART_SPLIT.split(question)]
    parts = [p for p in pieces if len(content_terms(p)) >= MIN_PART_TERMS and analyze(p)]
    if len(parts) > 1:
        return parts
    return _comparison_parts(question) or [question]


def expected_types(question: str) -> tuple[AnswerType, ...]:
    """The kinds of fact the question wants, as its wording says ("who ... and when?")."""
    found: list[AnswerType] = []
    if _PRICE_Q.search(question) and _NUMBER_Q.search(question):
        found.append("price")
    if _NAME_Q.search(question):
        found.append("name")
    if _YEAR_Q.search(question):
        found.append("year")
    if _NUMBER_Q.search(question) and "year" not in found:
        found.append("number")
    if _USAGE_Q.search(question):
        found.append("usage")
    if _DRAWBACK_Q.search(question):
        found.append("drawback")
    return tuple(found)


_STRICT = re.compile(
    r"\bhow (?:much|many)\b|\bwhat year\b|\bwhich year\b|\bwhen (?:did|was|were)\b|^\s*who\b"
    rf"|\b(?:which|what) {_COMPANY}\b",
    re.I,
)


def strict_types(question: str) -> tuple[AnswerType, ...]:
    """The expected kinds when the wording leaves no doubt: an answer without one is none.

    A price question is answered by a sum of money alone, so its other kinds do not count.
    """
    kinds = expected_types(question)
    if "price" in kinds:
        return ("price",)
    return kinds if _STRICT.search(question) else ()


# "What UDP port does ...", "Which protocol is ...": the noun phrase between the question word
# and its verb names the attribute asked for. "What is the top speed of ..." names it too,
# when it is a quantity (a plain "what is the X of" is as often "the point of", "the role of").
_AUXILIARY = r"(?:does|do|did|is|are|was|were|should|can|could|will|would|has|have)\b"
_ATTRIBUTE_Q = re.compile(
    rf"^\s*(?:what|which)\s+(?P<a>(?:(?!{_AUXILIARY})[\w-]+\s+){{0,2}}(?!{_AUXILIARY})[\w-]+)"
    rf"\s+{_AUXILIARY}"
    r"|\bwhat(?:'s| is| are| was)\s+(?:the|a|its|their)\s+(?P<b>(?:[\w-]+\s+){0,2}"
    r"(?:speed|weight|mass|size|number|voltage|capacity|lifetime|life|length|height|resolution"
    r"|frequency|range|power|torque|temperature|version|language|port|license|licence))\s+of\b",
    re.I,
)


def asked_attribute(question: str) -> tuple[str, ...]:
    """The analysed terms of the one attribute a question names, its head last ("udp",
    "port" in "What UDP port does DDS use?"); none when its wording names none or asks for
    a list."""
    match = _ATTRIBUTE_Q.search(question)
    if match is None:
        return ()
    phrase = match.group("a") or match.group("b")
    if re.search(r"[^s]s$", phrase):
        # "Which parameters are randomized?" is answered by naming them, not the word.
        return ()
    return tuple(t for t in analyze(phrase) if t not in _FRAMING)


# A unit the reader asks the value in ("in metres per second", "how many hours"), and the
# forms a sentence may give it in after its number.
_UNITS = {
    "metres per second": r"metres per second|meters per second|m/s",
    "kilometres per hour": r"kilometres per hour|kilometers per hour|km/h",
    "kilograms": r"kilograms?|kg",
    "newtons": r"newtons?|n",
    "newton-metres": r"newton-metres?|newton metres?|nm",
    "watts": r"watts?|w",
    "watt-hours": r"watt-hours?|wh",
    "volts": r"volts?|v",
    "amperes": r"amperes?|amps?|a",
    "hertz": r"hertz|hz|kilohertz|khz",
    "milliseconds": r"milliseconds?|ms",
    "seconds": r"seconds?|s",
    "minutes": r"minutes?|min",
    "hours": r"hours?|h",
    "degrees": r"degrees?|°",
    "radians": r"radians?|rad",
    "percent": r"percent|%",
}
_UNIT_Q = re.compile(
    r"\b(?:in|how many|how much)\s+(?P<u>"
    + "|".join(rf"{u}|{u.replace('metres', 'meters')}|{u.rstrip('s')}" for u in _UNITS)
    + r")\b(?! of freedom)",
    re.I,
)


def asked_unit(question: str) -> re.Pattern[str] | None:
    """A figure in the unit the question asks its answer in, or None when it names none."""
    match = _UNIT_Q.search(question)
    if match is None:
        return None
    said = match.group("u").lower().replace("meters", "metres")
    unit = next(u for u in _UNITS if said in (u, u.rstrip("s")))
    return re.compile(rf"\d[\d,.]*(?:\s*to\s*\d[\d,.]*)?\s*(?:{_UNITS[unit]})(?![\w-])", re.I)


def type_met(kind: AnswerType, sentence: str, question: str = "") -> bool:
    """Whether ``sentence`` holds a fact of ``kind``: a digit, a year, a name not asked about."""
    if kind == "price":
        return bool(_MONEY.search(sentence))
    if kind == "year":
        return bool(YEAR.search(sentence))
    if kind == "number":
        # "How many joints?" is not met by "in 2000": a year counts only when years are asked.
        counted = sentence if re.search(r"\byears?\b", question, re.I) else YEAR.sub("", sentence)
        # Nor by the digits of a name the question already gave ("WABOT-1", "ROS 2"), or a
        # count it gave itself ("its two steps").
        for named in set(_NUMBERED.findall(question)) | set(_COUNT_WORD.findall(question)):
            counted = re.sub(rf"(?<![\w-]){re.escape(named)}(?![\w-])", "", counted, flags=re.I)
        return bool(_QUANTITY.search(counted))
    if kind == "usage":
        return bool(_USAGE.search(sentence))
    if kind == "drawback":
        return bool(_DRAWBACK.search(sentence))
    return stated_beyond_question(PROPER, sentence, question)


def stated_beyond_question(pattern: re.Pattern[str], sentence: str, question: str) -> bool:
    """Whether ``pattern`` finds in ``sentence`` something the question does not itself say
    (a name it asked about is no answer)."""
    asked = set(analyze(question))
    return any(not set(analyze(m.group())) <= asked for m in pattern.finditer(sentence))
