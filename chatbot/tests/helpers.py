"""The chatbot tests' toolkit: a tiny book, asking it, and a reader of streamed answers."""

import json
from pathlib import Path

BOOK = {
    "01-balance.md": """# Balance

## Sensing for balance

A humanoid keeps its balance by fusing several sensors. The inertial measurement unit in the
torso measures angular velocity and linear acceleration, so the robot knows which way is up.
Force sensors in the soles of the feet measure the centre of pressure under each foot. Joint
encoders report the angle of every joint, which gives the position of the centre of mass.

## Walking

Walking is a controlled fall: the robot shifts its weight over one foot and swings the other
forward. The zero-moment point must stay inside the support polygon of the feet.
""",
    "02-control.md": """# Control

## PID control

A PID controller adds a proportional, an integral and a derivative term of the error. The
proportional gain reacts to the present error, the integral gain removes a steady offset, and
the derivative gain damps oscillation. Tuning these gains is the first task on a new joint.
""",
    "03-ros.md": """# ROS 2

## Topics and nodes

In ROS 2 every program is a node. Nodes publish messages on named topics and subscribe to the
topics they need, so a camera driver and a planner never call each other directly.
""",
}


QUESTION = "What sensors does a humanoid use to balance?"


def ask(client, question: str = QUESTION, **body):
    """POST /api/chat as the frontend does."""
    return client.post("/api/chat", {"question": question, **body}, format="json")


def write_book(folder: Path, files: dict[str, str]) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for name, text in files.items():
        (folder / name).write_text(text, encoding="utf-8")
    return folder


def sse_events(response) -> list[tuple[str, dict]]:
    """Parse a text/event-stream body into (event, data) pairs."""
    body = b"".join(response.streaming_content).decode()
    events = []
    for block in body.strip().split("\n\n"):
        lines = dict(line.split(": ", 1) for line in block.splitlines())
        events.append((lines["event"], json.loads(lines["data"])))
    return events
