"""Refusal in the book's own domain, not only of unrelated questions."""

from chatbot.answering import NOT_FOUND
from chatbot.questions import type_met
from chatbot.refusal import Signals, refuse
from chatbot.tests.helpers import ask


def test_a_flat_field_of_near_sentences_is_refused_and_a_clear_best_is_not():
    # Near enough by cosine, but no sentence stands out from the tenth best: nothing answers.
    assert refuse(Signals(cosine=0.55, gap=0.02, fact_missing=False), with_model=True)
    assert not refuse(Signals(cosine=0.55, gap=0.2, fact_missing=False), with_model=True)
    # Asked how much, how many, when or who, and no chosen sentence holds one.
    assert refuse(Signals(cosine=0.8, gap=0.4, fact_missing=True), with_model=True)
    assert refuse(Signals(cosine=0.25, gap=0.4, fact_missing=False), with_model=True)


def test_an_in_domain_question_the_book_does_not_answer_is_refused(signed_in, book):
    answer = ask(signed_in, "How much does the inertial measurement unit cost?").json()["answer"]
    assert answer["content"] == NOT_FOUND
    assert answer["sources"] == []


def test_the_same_subject_asked_what_the_book_says_is_answered(signed_in, book):
    answer = ask(signed_in, "What does the inertial measurement unit measure?").json()["answer"]
    assert answer["content"] != NOT_FOUND
    assert "angular velocity" in answer["content"]


def test_a_price_is_met_by_a_sum_of_money_and_not_by_any_number():
    question = "How much does a LiDAR cost?"
    assert not type_met("price", "Mechanical LiDARs rotate 16 to 128 laser channels.", question)
    assert type_met("price", "A typical unit sells for $4,000 today.", question)
    assert type_met("price", "It costs about 4000 euros.", question)


def test_a_price_question_is_refused_when_the_book_states_only_other_figures(signed_in, book):
    # The LiDAR section has figures (16 to 128 channels) but no price.
    answer = ask(signed_in, "How much does a LiDAR for a humanoid cost?").json()["answer"]
    assert answer["content"] == NOT_FOUND
