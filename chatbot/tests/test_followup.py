"""Follow-up questions are read with the conversation, for retrieval and for the answer."""

from chatbot.followup import is_followup, query_contextualize
from chatbot.models import Conversation, Message
from chatbot.tests.helpers import ask


def turns(*questions: str) -> list[Message]:
    history = []
    for q in questions:
        history.append(Message(role=Message.Role.QUESTION, content=q))
        history.append(Message(role=Message.Role.ANSWER, content="Some answer. [1]"))
    return history


def test_a_question_that_points_back_carries_the_previous_question():
    history = turns("What is MuJoCo?")
    assert query_contextualize(question="Who created it?", history=history) == (
        "What is MuJoCo? Who created it?"
    )
    assert query_contextualize(question="And the licence?", history=history) == (
        "What is MuJoCo? And the licence?"
    )


def test_a_question_that_names_its_subject_is_read_alone():
    history = turns("What is MuJoCo?")
    question = "How does a Kalman filter fuse an IMU with leg odometry?"
    assert not is_followup(question)
    assert query_contextualize(question=question, history=history) == question
    assert query_contextualize(question="Who created it?", history=[]) == "Who created it?"


def test_a_follow_up_to_a_follow_up_reaches_back_to_the_subject():
    history = turns("Tell me about Gazebo.", "And what about its physics?")
    assert query_contextualize(question="Who maintains it?", history=history) == (
        "Tell me about Gazebo. And what about its physics? Who maintains it?"
    )


def test_a_follow_up_in_the_chat_retrieves_the_conversation_subject(signed_in, book):
    alone = ask(signed_in, "And how are they connected?").json()
    first = ask(signed_in, "Tell me about nodes in ROS 2.").json()
    followed = ask(
        signed_in, "And how are they connected?", conversation_id=first["conversation"]["id"]
    ).json()
    anchors = [s["anchor"] for s in followed["answer"]["sources"]]
    assert anchors == ["topics-and-nodes"]
    assert "topics" in followed["answer"]["content"]
    assert [s["anchor"] for s in alone["answer"]["sources"]] != ["topics-and-nodes"]


def test_the_llm_sees_the_passages_the_follow_up_retrieved(signed_in, book, fake_llm):
    conversation = Conversation.objects.create(user=signed_in.user, title="t")
    Message.objects.create(
        conversation=conversation, role="question", content="Tell me about nodes in ROS 2."
    )
    answer = ask(signed_in, "And how are they connected?", conversation_id=str(conversation.pk))
    assert answer.json()["answer"]["generator"] == "llm"
    system = fake_llm.requests[-1]["messages"][0]["content"]
    assert "[1] ROS 2 > Topics and nodes\n" in system
