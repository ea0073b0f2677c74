"""What a sensitive action's view hands its service (accounts/reauth.py checks it): the
owner's proof from the body, read by StepUpSerializer or a serializer extending it with the
action's own fields; the session the action is asked on; and the request, for the sign-in
failure budget and a passkey's origin."""

from rest_framework.request import Request

from accounts.serializers import StepUpSerializer


def owner_proof(request: Request, serializer: type[StepUpSerializer] = StepUpSerializer) -> dict:
    """The service's keyword arguments; a body that does not validate is a 400."""
    data = serializer(data=request.data)
    data.is_valid(raise_exception=True)
    return {"session": request.auth, "request": request._request, **data.validated_data}
