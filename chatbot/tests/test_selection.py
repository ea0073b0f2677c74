"""Sentence selection: references carried, every part answered, more than the top three read."""

from chatbot.answering import NOT_FOUND, answer_extractive
from chatbot.questions import expected_types, question_parts, strict_types
from chatbot.selection import MAX_SENTENCES, SHOWN_SENTENCES, select_sentences
from chatbot.sentences import points_back
from chatbot.termstats import term_stats_build
from chatbot.tests.helpers import chosen, results_of


def test_a_sentence_pointing_back_brings_the_one_it_points_to():
    antecedent = "The gyroscope integrates the angular rate into one angle."
    pointer = "This is why the orientation estimate drifts slowly over time."
    passage = " ".join(
        [
            "The orientation estimate of the torso matters over time.",
            antecedent,
            pointer,
            "An estimate over time is smoother with a filter on the orientation.",
            "Slowly varying orientation estimate errors are hard to see.",
        ]
    )
    picked = chosen(
        "Why does the orientation estimate drift slowly over time?", results_of(passage)
    )
    assert pointer in picked
    # Carried, and right before the sentence that refers to it.
    assert picked.index(antecedent) == picked.index(pointer) - 1


def test_points_back_recognises_references_and_not_plain_openings():
    assert points_back("It measures angular velocity about each axis.")
    assert points_back("For this reason many designs are hybrids.")
    assert points_back("The video is a training resource for exactly this reason.")
    assert not points_back("Gyroscopes measure angular velocity about each axis.")


def test_the_answer_can_come_from_the_fifth_passage():
    filler = "Robots walk on legs and carry sensors in the torso and the head."
    fact = "Harmonic drives offer reduction ratios of 50:1 to 160:1 in a compact package."
    results = results_of(filler, filler + " Legs swing.", filler + " Heads turn.", filler, fact)
    picked = chosen("What reduction ratios do harmonic drives offer?", results)
    assert fact in picked


def test_each_part_of_a_multi_part_question_gets_its_sentence():
    gyro = [
        "The gyroscope measures angular velocity about each of its three axes.",
        "The gyroscope of the unit measures rotation rate with a small bias.",
        "A gyroscope measures how fast the torso turns, and what it measures drifts.",
        "What the gyroscope measures is integrated into an orientation.",
    ]
    accel = "The accelerometer reads specific force, which reveals the direction of gravity."
    question = "What does the gyroscope measure, and what does the accelerometer read?"
    assert len(question_parts(question)) == 2
    picked = chosen(question, results_of(" ".join(gyro), accel))
    assert accel in picked
    assert any(s in picked for s in gyro)


def test_question_parts_and_expected_facts():
    assert question_parts("How does MPC plan ahead?") == ["How does MPC plan ahead?"]
    assert question_parts("Why simulate robots? And which simulator is fastest?") == [
        "Why simulate robots",
        "And which simulator is fastest",
    ]
    assert expected_types("Who proposed impedance control?") == ("name",)
    assert expected_types("What gear ratio do planetary gearboxes use?") == ("number",)
    assert expected_types("who made it popular and when?") == ("name", "year")
    # Only unmistakable wording makes a missing fact a reason to refuse.
    assert strict_types("What gear ratio do planetary gearboxes use?") == ()
    assert strict_types("How much current does the motor draw?") == ("number",)
    # A price is a sum of money: any other number in the sentence does not answer it.
    assert strict_types("How much does the sensor cost?") == ("price",)
    assert strict_types("Which company makes the motor drivers?") == ("name",)


def test_without_a_model_an_unrelated_question_is_refused():
    answer = answer_extractive(
        question="What is the capital of France?",
        results=results_of("The gyroscope measures angular velocity about three axes."),
        embedder=None,
    )
    assert answer.text == NOT_FOUND and answer.sources == []


def test_a_comparison_is_answered_on_both_of_its_sides():
    assert question_parts(
        "What is the difference between an incremental and an absolute encoder?"
    ) == [
        "an incremental",
        "an absolute encoder",
    ]
    assert question_parts("How does impedance control differ from admittance control?") == [
        "impedance control",
        "admittance control",
    ]
    assert question_parts("PPO vs SAC for walking?") == ["PPO", "SAC for walking"]
    incremental = "An incremental encoder counts pulses and must be homed after power-up."
    absolute = "An absolute encoder reports the true angle at power-on."
    passage = " ".join(
        [
            "Encoders measure the angle of each joint of the arm.",
            "Encoders on the motor side see the angle before the gearbox.",
            incremental,
            "Encoder resolution is counted in bits per turn.",
            absolute,
        ]
    )
    picked = chosen(
        "What is the difference between an incremental encoder and an absolute encoder?",
        results_of(passage),
    )
    assert incremental in picked and absolute in picked


def test_a_short_lead_in_brings_the_sentences_it_introduces():
    lead_in = "On legged robots LiDAR serves two tasks."
    introduced = "The first is building an elevation map so the planner finds safe footholds."
    second = "The second is localisation against a prior map."
    results = results_of(
        f"{lead_in} {introduced} {second} Its price has fallen in recent years.",
        "Legged robots serve tasks outdoors with a LiDAR. "
        "A LiDAR on legged robots serves tasks in the dark. "
        "Legged robots with LiDAR serve tasks that cameras cannot.",
    )
    picked = chosen("What tasks does LiDAR serve on legged robots?", results)
    assert lead_in in picked
    # They share no word with the question, yet the lead-in says nothing without them: as
    # many as it counts, and no more.
    assert picked.index(introduced) == picked.index(lead_in) + 1
    assert picked.index(second) == picked.index(lead_in) + 2
    assert "Its price has fallen in recent years." not in picked


def test_the_answer_shows_more_close_sentences_than_the_core_the_refusal_reads():
    passage = " ".join(
        f"The gearbox ratio of joint {name} trades gearbox speed for gearbox torque."
        for name in ("one", "two", "three", "four", "five", "six", "seven")
    )
    results = results_of(passage)
    stats = term_stats_build(r.passage.text for r in results)
    selection = select_sentences(
        question="What does the gearbox ratio trade?",
        focus="What does the gearbox ratio trade?",
        results=results,
        embedder=None,
        stats=stats,
    )
    assert len(selection.core) == MAX_SENTENCES
    assert len(selection.sentences) == SHOWN_SENTENCES


def test_a_short_sentence_announcing_nothing_brings_nothing_after_it():
    results = results_of(
        "Legged robots serve tasks with LiDAR. Cameras see colour and texture in every image.",
        "A LiDAR on legged robots serves tasks in the dark. "
        "Legged robots with LiDAR serve tasks that cameras cannot. "
        "Legged robots serve tasks outdoors with a LiDAR.",
    )
    picked = chosen("What tasks does LiDAR serve on legged robots?", results)
    assert "Legged robots serve tasks with LiDAR." in picked
    assert "Cameras see colour and texture in every image." not in picked
