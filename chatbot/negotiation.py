"""An SSE client (a browser's EventSource, fetch-event-source) asks for the stream with
`Accept: text/event-stream`: that asks for the streamed answer, whatever the body says, and
is never 406. The errors that can still come before the stream are JSON, as everywhere."""

from rest_framework.negotiation import DefaultContentNegotiation
from rest_framework.request import Request

from chatbot.schema import EVENT_STREAM


def accepts_only_event_stream(request: Request) -> bool:
    """The client named the event stream among what it accepts, and not JSON."""
    accepted = {
        part.split(";", 1)[0].strip().lower()
        for part in request.META.get("HTTP_ACCEPT", "").split(",")
    }
    return EVENT_STREAM in accepted and not accepted & {"application/json", "application/*"}


class EventStreamNegotiation(DefaultContentNegotiation):
    """What renders a JSON error for a client that asked for the stream: the JSON renderer."""

    def select_renderer(self, request, renderers, format_suffix=None):
        if accepts_only_event_stream(request):
            return renderers[0], renderers[0].media_type
        return super().select_renderer(request, renderers, format_suffix)
