"""Pages for every user: login, home, profile, language and password reset.

The language a signed-in user chose in their profile wins over the browser's
preference (``UserLanguageMiddleware``). Every language change made while
signed in is therefore stored on the user, and the language cookie is set too,
so the login page keeps that language after logout.
"""

import logging

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import PasswordResetForm
from django.core.mail import EmailMultiAlternatives
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST
from django.views.i18n import set_language

from fiat.core.models import CostCentre, Project, Role, User
from fiat.core.navigation import navigation_for

logger = logging.getLogger(__name__)


def role_labels(user: User) -> list[str]:
    """Return the labels of the roles granted to ``user``, in ``Role`` order."""
    granted = user.role_codes()
    return [str(role.label) for role in Role if role in granted]


def _set_language_cookie(response: HttpResponse, language: str) -> None:
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        language,
        max_age=settings.LANGUAGE_COOKIE_AGE,
        path=settings.LANGUAGE_COOKIE_PATH,
        domain=settings.LANGUAGE_COOKIE_DOMAIN,
        secure=settings.LANGUAGE_COOKIE_SECURE,
        httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
        samesite=settings.LANGUAGE_COOKIE_SAMESITE,
    )


class LoginView(auth_views.LoginView):
    """Django's login page that also remembers the user's language."""

    redirect_authenticated_user = True

    def form_valid(self, form):
        response = super().form_valid(form)
        _set_language_cookie(response, form.get_user().language)
        return response


def _home_links(user: User) -> list[dict]:
    """Return the pages linked from the home page that ``user`` may open."""
    links = [
        {"url": item.url, "label": item.label, "description": item.description}
        for item in navigation_for(user)
    ]
    if user.is_staff:
        links.append(
            {
                "url": reverse("admin:index"),
                "label": _("Administration"),
                "description": _("Users, roles, company settings and ledger."),
            }
        )
    if settings.FIAT_OUTBOX_PAGE:
        links.append(
            {
                "url": reverse("outbox"),
                "label": _("Outbox"),
                "description": _("E-mail sent by Fiat."),
            }
        )
    links.append(
        {
            "url": reverse("api-1:openapi-view"),
            "label": _("API documentation"),
            "description": _("The JSON API for connecting other systems."),
        }
    )
    return links


@login_required
def home(request: HttpRequest) -> HttpResponse:
    user = request.user
    context = {
        "roles": role_labels(user),
        "cost_centres": CostCentre.objects.filter(budget_holder=user, is_active=True),
        "projects": Project.objects.filter(lead=user, is_active=True),
        "links": _home_links(user),
    }
    return render(request, "core/home.html", context)


class ProfileForm(forms.ModelForm):
    class Meta:
        model = User
        fields = ["language"]
        widgets = {"language": forms.RadioSelect}


@login_required
def profile(request: HttpRequest) -> HttpResponse:
    data = request.POST if request.method == "POST" else None
    form = ProfileForm(data, instance=request.user)
    if request.method == "POST" and form.is_valid():
        user = form.save()
        translation.activate(user.language)
        messages.success(request, gettext("Your profile has been saved."))
        response = redirect("profile")
        _set_language_cookie(response, user.language)
        return response
    context = {"form": form, "roles": role_labels(request.user)}
    return render(request, "core/profile.html", context)


@require_POST
def switch_language(request: HttpRequest) -> HttpResponse:
    """Switch the interface language, and store it on a signed-in user.

    Django's ``set_language`` sets the cookie and redirects to ``next``. The
    user's own setting has to change too, because it wins over the cookie.
    """
    response = set_language(request)
    language = request.POST.get("language", "")
    user = request.user
    if user.is_authenticated and language in dict(settings.LANGUAGES):
        user.language = language
        user.save(update_fields=["language"])
    return response


class LocalizedPasswordResetForm(PasswordResetForm):
    """Password reset form that writes each mail in its recipient's language."""

    def send_mail(
        self,
        subject_template_name,
        email_template_name,
        context,
        from_email,
        to_email,
        html_email_template_name=None,
    ) -> None:
        user = context["user"]
        language = user.language or settings.LANGUAGE_CODE
        with translation.override(language):
            subject = render_to_string(subject_template_name, context)
            body = render_to_string(email_template_name, context)
            html_body = None
            if html_email_template_name:
                html_body = render_to_string(html_email_template_name, context)
        message = EmailMultiAlternatives(
            "".join(subject.splitlines()), body, from_email, [to_email]
        )
        if html_body:
            message.attach_alternative(html_body, "text/html")
        # Recorded with the message by the outbox backend.
        message.template_name = email_template_name
        message.language = language
        try:
            message.send()
        except Exception:
            # As in Django, a failure is only logged, because the page must
            # not reveal whether the address belongs to an account.
            logger.exception(
                "Sending the password reset mail to user %s failed.", user.pk
            )


class PasswordResetView(auth_views.PasswordResetView):
    """Django's password reset page, with links built on ``FIAT_BASE_URL``."""

    form_class = LocalizedPasswordResetForm

    def form_valid(self, form):
        self.extra_email_context = {
            "base_url": settings.FIAT_BASE_URL,
            "valid_days": settings.PASSWORD_RESET_TIMEOUT // (24 * 60 * 60),
        }
        return super().form_valid(form)
