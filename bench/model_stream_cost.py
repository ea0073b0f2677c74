"""What reading a streamed answer costs the server, per token: the OpenAI client's typed
stream against `chatbot.model_stream.completion_texts` over the same client's response lines,
and what making a client costs. CPU time of this thread, in interleaved rounds, against the
fake model of `bench/serving.py` answering at once.

    .venv/bin/python -m bench.model_stream_cost
"""

import statistics
import time

from openai import OpenAI

from chatbot.model_stream import completion_texts
from chatbot.tests.fake_model import FakeModel, numbered_tokens

TOKENS, ROUNDS, CLIENTS = 400, 6, 30
MESSAGES = [{"role": "user", "content": "How do humanoids balance?"}]


def typed(client: OpenAI) -> int:
    stream = client.chat.completions.create(model="m", messages=MESSAGES, stream=True)
    return sum(1 for chunk in stream if chunk.choices and chunk.choices[0].delta.content)


def lines(client: OpenAI) -> int:
    with client.chat.completions.with_streaming_response.create(
        model="m", messages=MESSAGES, stream=True
    ) as response:
        return sum(1 for _ in completion_texts(response.iter_lines()))


def per_token_us(read, client: OpenAI) -> float:
    started = time.thread_time()
    tokens = read(client)
    assert tokens == TOKENS, tokens
    return (time.thread_time() - started) / tokens * 1e6


def main() -> None:
    model = FakeModel(numbered_tokens(TOKENS)).start()
    client = OpenAI(api_key="bench", base_url=model.url, max_retries=0)
    runs: dict[str, list[float]] = {"typed": [], "lines": []}
    for _ in range(ROUNDS):
        for name, read in (("typed", typed), ("lines", lines)):
            runs[name].append(per_token_us(read, client))
    started = time.thread_time()
    for _ in range(CLIENTS):
        OpenAI(api_key="bench", base_url=model.url, max_retries=0)
    making = (time.thread_time() - started) / CLIENTS * 1e3
    typed_us, lines_us = (statistics.median(runs[name]) for name in ("typed", "lines"))
    print(f"{TOKENS} tokens, median of {ROUNDS} interleaved rounds")
    print(f"typed stream (the client's objects)   {typed_us:7.1f} us CPU per token")
    print(f"response lines read as JSON (shipped) {lines_us:7.1f} us CPU per token")
    print(f"ratio typed / lines                   {typed_us / lines_us:7.1f}")
    print(f"making a client                       {making:7.1f} ms CPU")


if __name__ == "__main__":
    main()
