"""An attribute the question names is answered by its name or by a value in its form."""

from chatbot.attributes import value_stated
from chatbot.refusal import Signals, refusal_signals
from chatbot.selection import Selection
from chatbot.sentences import split_sentences
from chatbot.termstats import term_stats_build
from chatbot.tests.helpers import results_of


def _signals(question: str, *texts: str) -> Signals:
    results = results_of(*texts)
    stats = term_stats_build(r.passage.text for r in results)
    sentences = split_sentences(results)
    selection = Selection(sentences, best_cosine=0.9, core=sentences)
    return refusal_signals(focus=question, selection=selection, stats=stats)


def test_a_value_in_the_attributes_form_answers_without_its_name():
    question = "Which month do the long-term ROS 2 releases come out in?"
    assert value_stated("month", "Releases in May of even years get long-term support.", question)
    assert not value_stated("month", "Releases of even years get long-term support.", question)
    # A rate is a speed; a bare count is not.
    assert value_stated("speed", "Footstep planning runs at 10 to 50 hertz.", "What speed?")
    assert not value_stated("speed", "Footstep planning uses 10 to 50 steps.", "What speed?")
    # A company is a name, but not one the question already gave.
    assert value_stated("compani", "The first ROS appeared at Willow Garage.", "What company?")
    assert not value_stated(
        "compani", "The first ROS appeared in a lab.", "What company made the first ROS?"
    )


def test_the_book_giving_the_value_but_not_the_word_is_not_refused():
    said = "The original ROS appeared in 2007 at Willow Garage and spread through research."
    assert not _signals("What company did the first ROS come out of?", said).attribute_missing
    launch = "ROS launch files are most often written in Python, although XML is supported."
    assert not _signals("What language are ROS launch files written in?", launch).attribute_missing
    # A number is not a language, nor a port without the word.
    dds = "DDS discovery announces 16 participants over UDP by multicast."
    assert _signals("What language is DDS discovery written in?", dds).attribute_missing
    assert _signals("What UDP port does DDS discovery use?", dds).attribute_missing


def test_a_generic_head_names_no_attribute():
    dds = "DDS discovery announces each participant by multicast."
    assert not _signals("What networking trick does DDS discovery use?", dds).attribute_missing
