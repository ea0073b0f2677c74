"""What kind of sentence a question wants: when to use something, what it costs in return."""

from chatbot.questions import (
    asked_attribute,
    asked_unit,
    expected_types,
    strict_types,
    type_met,
)
from chatbot.tests.helpers import chosen, results_of


def test_when_to_use_and_downsides_are_recognised():
    assert expected_types("When should I pick impedance control?") == ("usage",)
    # The elliptical second part of "when X and when Y?" asks the same.
    assert expected_types("when admittance control") == ("usage",)
    assert expected_types("When did Honda build ASIMO?") == ("year",)
    assert expected_types("What are the downsides of harmonic drives?") == ("drawback",)
    assert expected_types("what do series elastic actuators give up") == ("drawback",)
    # Neither is a reason to refuse: the wording does not make a missing cue certain.
    assert strict_types("When should I pick impedance control?") == ()


def test_usage_and_drawback_sentences_are_told_apart():
    assert type_met("usage", "Admittance control suits stiff, highly geared robots.")
    assert type_met("usage", "Use an action when the request takes time.")
    assert not type_met("usage", "An action has a goal, feedback and a result.")
    assert type_met("drawback", "The spring lowers the bandwidth of the joint.")
    assert not type_met("drawback", "Series elastic actuators place a spring before the load.")


def test_a_sentence_saying_when_to_use_is_quoted_beside_one_sharing_more_words():
    suits = "ROS actions suit long tasks that report their progress."
    results = results_of(
        "Nodes talk to each other in several ways. Pick a ROS action name that says what it does.",
        "Clients send goals and wait. " + suits,
    )
    assert suits in chosen("When should I pick a ROS action?", results)


def test_a_name_in_a_sentence_is_its_whole_capitalised_word():
    question = "Which company makes the EtherCAT chips?"
    # "EtherCAT" is what was asked about, not a name that answers it.
    assert not type_met("name", "Drivers talk to the plugin over EtherCAT at 1 kHz.", question)
    assert type_met("name", "The chips come from Beckhoff, which designed the bus.", question)


def test_a_year_is_not_an_amount_unless_years_are_asked():
    question = "How many joints does ASIMO have?"
    assert not type_met("number", "Honda presented ASIMO in 2000.", question)
    assert type_met("number", "ASIMO has 26 joints.", question)
    assert type_met("number", "It took 10 years, from 1986 to 1996.", "How many years did it take?")


def test_the_attribute_a_question_names_is_its_head_noun():
    assert asked_attribute("What UDP port does DDS discovery use by default?") == ("udp", "port")
    assert asked_attribute("What is the top walking speed of the HRP-4 robot?")[-1] == "speed"
    # No attribute: a verb follows the question word, a list is asked for, or "the X of" is
    # not a quantity.
    assert asked_attribute("What does an executor do in ROS 2?") == ()
    assert asked_attribute("Which simulation parameters are randomized?") == ()
    assert asked_attribute("What is the role of the integral term?") == ()


def test_a_count_is_not_met_by_the_digits_of_a_name():
    question = "How much did WABOT-1 weigh?"
    assert not type_met("number", "WABOT-1 could walk slowly, like Honda's P2.", question)
    assert not type_met("number", "Run ros2 topic info on ROS 2.", "How many nodes does ROS 2 run?")
    assert type_met("number", "It weighed 130 kilograms.", question)


def test_a_count_in_words_is_a_count_and_an_acronyms_number_is_its_name():
    question = "How many messages does the default profile keep?"
    assert type_met("number", "The default profile uses a depth of ten.", question)
    assert type_met("number", "A table with six rows and four columns.", question)
    # "one" is more often "one of the" than a count; "ROS 2" is a name, whoever asks.
    assert not type_met("number", "They are one of the most important differences.", question)
    assert not type_met("number", "ROS 2 reports such incompatibilities as events.", question)
    assert type_met("number", "Between 25 and 40 joints.", question)
    # A count the question gave itself answers nothing.
    assert not type_met("number", "It alternates between two steps.", "Which drive its two steps?")


def test_a_value_asked_in_a_unit_is_met_only_by_a_figure_in_that_unit():
    unit = asked_unit("How fast can the Cheetah run, in metres per second?")
    assert unit.search("It runs at 3.7 m/s on a treadmill.")
    assert not unit.search("Its MPC runs at 30 to 100 hertz.")
    assert asked_unit("How many hours does the battery last?").search("about 2 hours")
    # Degrees of freedom are a count, not an angle; most questions name no unit.
    assert asked_unit("How many degrees of freedom does a humanoid have?") is None
    assert asked_unit("How fast does the policy run?") is None
