"""Work done after the response has gone out, so a request's duration cannot tell what the
work found (whether an address has an account, for instance).

The request path calls `after_response(request, job, ...)`; the middleware hands the queued
jobs to the response, which runs them when the server closes it, i.e. after the last byte was
written to the client (WSGI, ASGI and Django's test client all close every response). A job
runs in the request's thread with its database connection, outside the view's transaction."""

import logging
from collections.abc import Callable
from functools import partial

from django.http import HttpRequest, HttpResponseBase

logger = logging.getLogger(__name__)

_QUEUE = "_after_response_jobs"


def after_response(request: HttpRequest | None, job: Callable[..., None], /, **kwargs) -> None:
    """Queue `job(**kwargs)` for after the response; at once when there is no response to
    wait for (no request, or a caller outside the middleware such as a management command)."""
    queue = getattr(request, _QUEUE, None) if request is not None else None
    if queue is None:
        job(**kwargs)
        return
    queue.append(partial(job, **kwargs))


def _run(job: Callable[[], None]) -> None:
    # HttpResponse.close() swallows a closer's exception silently: log it here instead.
    try:
        job()
    except Exception:
        logger.exception("A job run after the response failed")


class AfterResponseMiddleware:
    """Outermost, so the jobs ride on the response the server actually sends."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        setattr(request, _QUEUE, [])
        response = self.get_response(request)
        jobs = getattr(request, _QUEUE)
        setattr(request, _QUEUE, None)  # anything queued from now on runs at once
        # Django's own hook for what must happen when the server closes the response.
        response._resource_closers.extend(partial(_run, job) for job in jobs)
        return response
