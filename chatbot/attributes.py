"""What answers a question naming the attribute it asks for, besides the attribute's name.

"What UDP port does DDS use?" is answered only by a sentence that names a port: sentences
about DDS over UDP describe the subject, not that attribute of it. But the book often gives
the value without the attribute's word: "Which month do LTS releases come out in?" is
answered by "released in May", "What company did ROS come out of?" by "at Willow Garage",
"What speed do footstep planners update at?" by "10 to 50 hertz". For attributes whose
value has a recognisable form, that form answers too.
"""

from __future__ import annotations

import re

from chatbot.questions import PROPER, YEAR, stated_beyond_question
from chatbot.retrieval.analysis import analyze

_MONTH = (
    r"\b(?:January|February|March|April|May|June|July|August|September|October|November"
    r"|December)\b"
)
# A rate or a velocity, the two things "speed" means in the book.
_SPEED = (
    r"\d[\d,.]*(?:\s*(?:to|and)\s*\d[\d,.]*)?\s*(?:hertz|hz|kilohertz|khz|metres per second"
    r"|meters per second|m/s|km/h|kilometres per hour|times a second)\b"
)
_LANGUAGE = r"\b(?:Python|C\+\+|Rust|Java|JavaScript|Lua|MATLAB|Julia)(?!\w)"

_VALUE_FORMS = {
    "year": YEAR.pattern,
    "month": _MONTH,
    "speed": _SPEED,
    "rate": _SPEED,
    "frequency": _SPEED,
    "language": _LANGUAGE,
}
_NAMED = (
    "company university lab laboratory manufacturer vendor maker firm team viewer simulator "
    "library framework engine format protocol middleware standard algorithm"
)
_FORMS = {analyze(word)[0]: re.compile(form) for word, form in _VALUE_FORMS.items()} | {
    stem: PROPER for stem in analyze(_NAMED)
}

# Heads that name no attribute: "What networking trick does DDS use?" asks for a
# description, and the book has no reason to use the reader's word for it.
GENERIC_HEADS = frozenset(
    analyze("trick method technique approach mechanism type sort way idea strategy feature tool")
)


def value_stated(head: str, sentence: str, question: str) -> bool:
    """Whether ``sentence`` gives a value of the attribute ``head`` (an analysed term) in the
    form such values take, other than a word the question itself uses."""
    form = _FORMS.get(head)
    return form is not None and stated_beyond_question(form, sentence, question)
