"""Reading a streamed completion's server-sent events as the OpenAI-compatible servers send
them: pieces of text in order, the end marker, and errors mid-stream."""

import json

import pytest

from chatbot.model_stream import ModelStreamError, completion_texts


def _event(payload: dict, name: str = "") -> list[str]:
    head = [f"event: {name}"] if name else []
    return [*head, f"data: {json.dumps(payload)}", ""]


def _delta(text: str | None) -> dict:
    return {"choices": [{"index": 0, "delta": {"content": text}}]}


def test_the_first_choices_text_arrives_piece_by_piece_until_done():
    lines = [
        ": keep-alive comment",
        *_event({"choices": [{"index": 0, "delta": {"role": "assistant"}}]}),
        *_event(_delta("Balance ")),
        *_event(_delta(None)),
        *_event({"choices": [], "usage": {"total_tokens": 3}}),
        *_event(_delta("needs an IMU [1].")),
        "data: [DONE]",
        "",
        *_event(_delta("after the end")),
    ]
    assert list(completion_texts(lines)) == ["Balance ", "needs an IMU [1]."]


def test_an_event_split_over_several_data_lines_is_one_json_document():
    lines = ['data: {"choices": [{"delta":', 'data: {"content": "one"}}]}', ""]
    assert list(completion_texts(lines)) == ["one"]


def test_a_stream_without_the_end_marker_ends_with_its_last_event():
    assert list(completion_texts([f"data: {json.dumps(_delta('last'))}"])) == ["last"]


@pytest.mark.parametrize(
    "lines",
    [
        _event({"error": {"message": "overloaded"}}, name="error"),
        _event({"error": {"message": "overloaded"}}),
    ],
    ids=["error event", "error payload"],
)
def test_an_error_mid_stream_raises_after_the_text_before_it(lines):
    texts = completion_texts([*_event(_delta("partial")), *lines, *_event(_delta("never"))])
    assert next(texts) == "partial"
    with pytest.raises(ModelStreamError, match="overloaded"):
        next(texts)
