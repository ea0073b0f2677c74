from django.urls import path

from web.views import PageView

# What the onboarding page offers to read about: the book's parts.
INTERESTS = [
    ("perception", "Sensors and perception"),
    ("kinematics", "Kinematics and dynamics"),
    ("control", "Control"),
    ("ros2", "ROS 2"),
    ("locomotion", "Locomotion and manipulation"),
    ("sim-to-real", "Simulation to reality"),
    ("safety", "Safety and working with people"),
]


def page(route: str, name: str, title: str, **extra):
    view = PageView.as_view(
        template_name=f"web/{name}.html", script=name, title=title, extra_context=extra
    )
    return path(route, view, name=f"web-{name}")


urlpatterns = [
    page("", "chat", "Ask the book"),
    page("login", "login", "Sign in"),
    page("login/mfa", "login_mfa", "Two-factor check"),
    page("login/code", "login_code", "Sign in with a code"),
    page("register", "register", "Create an account"),
    page("forgot-password", "forgot_password", "Forgot your password?"),
    page("reset-password", "reset_password", "Choose a new password"),
    page("verify-email", "verify_email", "Confirm your address"),
    page("onboarding", "onboarding", "Welcome", interests=INTERESTS),
    page("account", "account", "Your account"),
]
