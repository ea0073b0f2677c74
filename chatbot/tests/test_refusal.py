"""Refusal in the book's own domain, not only of unrelated questions."""

from chatbot.answering import NOT_FOUND
from chatbot.questions import type_met
from chatbot.refusal import (
    Signals,
    refusal_signals,
    refuse,
    unknown_names,
    unknown_terms,
)
from chatbot.selection import Selection, select_sentences
from chatbot.sentences import split_sentences
from chatbot.termstats import term_stats_build
from chatbot.tests.helpers import ask, results_of


def test_a_sentence_about_the_question_answers_unless_the_asked_fact_is_missing():
    # Calibrated on the held-out and development sets, a sentence near the question but not
    # standing out from the runners-up answers as often as not (bench/README.md, round 10).
    assert not refuse(Signals(cosine=0.35, fact_missing=False), with_model=True)
    # Asked how much, how many, when or who, and no chosen sentence holds one.
    assert refuse(Signals(cosine=0.8, fact_missing=True), with_model=True)
    # Nothing is about the question.
    assert refuse(Signals(cosine=0.25, fact_missing=False), with_model=True)


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


def _fact_missing(question: str, results) -> bool:
    stats = term_stats_build(r.passage.text for r in results)
    selection = select_sentences(
        question=question, focus=question, results=results, embedder=None, stats=stats
    )
    return refusal_signals(focus=question, selection=selection, stats=stats).fact_missing


def test_a_name_counts_only_in_a_sentence_about_what_was_asked():
    results = results_of(
        "The complementary filter blends the gyroscope with the accelerometer readings.",
        "The Kalman filter was introduced by Rudolf Kalman in 1960 for spacecraft.",
        "Every filter smooths noise; one filter was invented for each new sensor type.",
    )
    # Rudolf Kalman is a name, but not of whoever made the complementary filter.
    assert _fact_missing("Who invented the complementary filter?", results)
    assert not _fact_missing("Who introduced the Kalman filter?", results)


def test_a_question_naming_what_the_book_never_mentions_is_refused():
    stats = term_stats_build(["The LiDAR of the robot has 16 channels.", "Honda built ASIMO."])
    assert unknown_names("How many channels does the Velodyne VLP-16 have?", stats) == [
        "Velodyne",
        "VLP-16",
    ]
    # Names the book uses, the question's opening word and lower-case words are not names.
    assert unknown_names("How many channels does the LiDAR of ASIMO have?", stats) == []
    assert unknown_names("Which gizmo do I need?", stats) == []
    assert refuse(Signals(cosine=0.9, fact_missing=False, unknown_name=True), with_model=True)


def test_an_unknown_robot_is_refused_even_when_its_subject_is_in_the_book(signed_in, book):
    answer = ask(signed_in, "What does the inertial measurement unit of the Zorblax X9 measure?")
    assert answer.json()["answer"]["content"] == NOT_FOUND


def test_a_multi_part_question_is_judged_by_its_best_answered_reading(embedder):
    gyro = "The gyroscope measures angular velocity about each of its three axes."
    accel = "The accelerometer reads specific force, which reveals the direction of gravity."
    others = [f"Robots carry {n} sensors in the torso for many tasks." for n in range(12)]
    results = results_of(gyro, accel, *others)
    question = "What does the gyroscope measure, and what does the accelerometer read?"
    both = select_sentences(
        question=question, focus=question, results=results, embedder=embedder, stats=None
    )
    for part in ("What does the gyroscope measure", "what does the accelerometer read"):
        alone = select_sentences(
            question=part, focus=part, results=results, embedder=embedder, stats=None
        )
        # The blurred whole-question embedding never makes the question look less answered.
        assert both.best_cosine >= alone.best_cosine - 1e-6


def test_a_question_naming_an_attribute_no_chosen_sentence_names_is_refused():
    results = results_of(
        "DDS transports data with the RTPS protocol, usually over UDP.",
        "Discovery announces each participant to the network by multicast.",
    )
    stats = term_stats_build(r.passage.text for r in results)

    # The sentences are about DDS over UDP, but none says which port.
    assert _picked_signals(results, stats, "What UDP port does DDS use?").attribute_missing
    assert not _picked_signals(results, stats, "What protocol does DDS use?").attribute_missing
    assert refuse(Signals(cosine=0.9, fact_missing=False, attribute_missing=True), with_model=True)


def test_the_refusal_reads_the_core_picks_and_not_the_sentences_shown_beyond_them():
    results = results_of(
        "Honda's ASIMO walked in public from 2000. ASIMO had 34 joints in all its limbs."
    )
    walked, joints = split_sentences(results)
    question = "How many joints did ASIMO have?"
    shown_only = _chosen([walked, joints], core=[walked])
    assert refusal_signals(focus=question, selection=shown_only).fact_missing
    in_core = _chosen([walked, joints], core=[joints])
    assert not refusal_signals(focus=question, selection=in_core).fact_missing


def test_an_attribute_counts_only_next_to_its_subject():
    results = results_of(
        "Raise the proportional gain of the elbow until it oscillates.",
        "The knee joint carries the weight of the robot.",
    )
    stats = term_stats_build(r.passage.text for r in results)
    sentences = split_sentences(results)
    selection = _chosen(sentences)
    # A gain is named, but the elbow's: nothing says which gain the knee wants.
    assert refusal_signals(
        focus="What proportional gain does the knee need?", selection=selection, stats=stats
    ).attribute_missing
    assert not refusal_signals(
        focus="What proportional gain does the elbow need?", selection=selection, stats=stats
    ).attribute_missing


def test_a_who_question_about_a_relation_the_book_never_uses_is_refused():
    results = results_of(
        "Open Robotics maintains the Gazebo simulator and its libraries.",
        "The gyroscope measures angular velocity; its calculated angle drifts.",
    )
    stats = term_stats_build(r.passage.text for r in results)
    # The book tells of no founding, in any form of the word.
    assert unknown_terms("Who founded Open Robotics?", stats) == ["found"]
    # "gyro" begins a word it uses, "calculation" shares a stem with one.
    assert unknown_terms("How does a gyro calculation drift?", stats) == []

    assert _picked_signals(results, stats, "Who founded Open Robotics?").unknown_name
    # Only a question whose wording makes a fact certain: a "why" may use its own words.
    assert not _picked_signals(results, stats, "Why was Open Robotics founded?").unknown_name
    assert not _picked_signals(results, stats, "Who maintains Gazebo?").unknown_name


def test_a_value_asked_in_a_unit_the_chosen_sentences_never_give_is_refused():
    results = results_of("The Cheetah ran convex MPC at 30 to 100 hertz on its computer.")
    sentences = split_sentences(results)
    selection = _chosen(sentences)
    asked = "How fast did the Cheetah run, in metres per second?"
    assert refusal_signals(focus=asked, selection=selection).fact_missing
    in_hertz = "How fast did the Cheetah run its MPC, in hertz?"
    assert not refusal_signals(focus=in_hertz, selection=selection).fact_missing


def test_only_the_relation_of_a_who_question_counts_when_the_book_never_uses_it():
    results = results_of(
        "Tad McGeer showed passive walkers walking down a slope.",
        "The DARPA Robotics Challenge was held between 2013 and 2015.",
    )
    stats = term_stats_build(r.passage.text for r in results)

    def unknown(question: str) -> bool:
        return _signals_of(question, results, stats).unknown_name

    assert unknown("Who founded the DARPA Robotics Challenge?")
    # The relation is the book's; the reader's own word for the walker is not a reason.
    assert not unknown("Who showed that an unpowered contraption could walk down a slope?")
    assert not unknown("When did the big DARPA competition take place?")
    # A word starting with a digit is a size, not a name.
    assert not unknown("Who showed walkers in 3D walking down a slope?")


def test_terms_as_rare_as_the_anchors_are_anchors_too():
    # Six parts, each named in one passage: all equally rare. A count next to any of them
    # is about the question's subject, whichever two the set of terms happens to list first.
    parts = ("gripper", "ankle", "torso", "camera", "wrist", "elbow")
    results = results_of(*(f"The {part} carries 4 sensors." for part in parts))
    stats = term_stats_build(r.passage.text for r in results)
    question = "How many sensors do the gripper, ankle, torso, camera, wrist and elbow carry?"
    for i in range(len(parts)):
        sentences = split_sentences(results)
        selection = _chosen(sentences, core=[sentences[i]])
        assert not refusal_signals(focus=question, selection=selection, stats=stats).fact_missing


def _chosen(sentences: list, core: list | None = None) -> Selection:
    """``sentences`` chosen on strong cosine evidence; the refusal reads ``core`` (all)."""
    return Selection(sentences, best_cosine=0.9, core=sentences if core is None else core)


def _picked_signals(results, stats, question: str) -> Signals:
    """The signals of the sentences the selector picks (no embedder: lexical scores)."""
    selection = select_sentences(
        question=question, focus=question, results=results, embedder=None, stats=stats
    )
    return refusal_signals(focus=question, selection=selection, stats=stats)


def _signals_of(question: str, results, stats) -> Signals:
    sentences = split_sentences(results)
    selection = _chosen(sentences, core=sentences[:1])
    return refusal_signals(focus=question, selection=selection, stats=stats)


def test_the_readers_own_rare_words_give_way_to_the_terms_the_passage_uses():
    results = results_of(
        "A standard colour camera gives 30 to 60 frames per second.",
        "Old pictures looked ordinary. Steel is strong.",
        "Every colour camera is calibrated once per second.",
    )
    stats = term_stats_build(r.passage.text for r in results)
    # "pictures" and "ordinary" are the rarest, but the camera's passage does not use them.
    question = "How many pictures per second does an ordinary colour camera take?"
    assert not _signals_of(question, results, stats).fact_missing
    # The passage uses none of the question's terms: its figure is not about steel.
    assert _signals_of("How many bolts does steel need?", results, stats).fact_missing
