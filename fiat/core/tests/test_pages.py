"""Login, home, profile, language and password pages, through Django's client.

The pages speak the browser's language to visitors and the profile's language
to signed-in users. Dutch is the default.
"""

import re

import pytest
from django.contrib.staticfiles import finders
from django.http import HttpResponse
from django.urls import include, path, reverse
from django.views import View

from fiat.core.models import CostCentre, Project, Role
from fiat.core.permissions import RoleRequiredMixin, role_required


@role_required(Role.CONTROLLER, Role.DIRECTOR)
def _controller_page(request):
    return HttpResponse("controller page")


class _AuditorPage(RoleRequiredMixin, View):
    required_roles = (Role.AUDITOR,)

    def get(self, request):
        return HttpResponse("auditor page")


# URL configuration for the access tests: Fiat's pages plus two guarded ones.
urlpatterns = [
    path("controller-only/", _controller_page),
    path("auditor-only/", _AuditorPage.as_view()),
    path("", include("fiat.urls")),
]

DUTCH = {"HTTP_ACCEPT_LANGUAGE": "nl"}
ENGLISH = {"HTTP_ACCEPT_LANGUAGE": "en"}

# Username, the greeting on the home page and the role labels listed there,
# each in the language of that user's profile.
HOME_PAGES = [
    ("admin", "Welcome, Gijs Admiraal", ["Administrator"]),
    ("clerk", "Welkom, Anna de Klerk", ["Crediteurenadministrateur"]),
    ("approver", "Welkom, Bram Visser", ["Fiatteur"]),
    ("budgetholder", "Welcome, Carla Bos", ["Approver", "Budget holder"]),
    ("controller", "Welkom, Daan de Vries", ["Fiatteur", "Controller"]),
    ("director", "Welkom, Eva Jansen", ["Fiatteur", "Directeur"]),
    ("employee", "Welcome, Femke Smit", ["Employee"]),
    ("auditor", "Welcome, Hanna Mulder", ["Auditor"]),
]


def log_in(client, username, password=None, **headers):
    return client.post(
        reverse("login"),
        {"username": username, "password": password or f"demo-{username}"},
        follow=True,
        **headers,
    )


def role_labels_on(page) -> list[str]:
    tags = re.search(r'<ul class="tags">(.*?)</ul>', page.text, re.DOTALL)
    return re.findall(r"<li>(.*?)</li>", tags.group(1)) if tags else []


@pytest.mark.parametrize(("username", "greeting", "roles"), HOME_PAGES)
def test_demo_user_logs_in_to_home(client, demo_users, username, greeting, roles):
    response = log_in(client, username)

    assert response.redirect_chain == [(reverse("home"), 302)]
    assert f"<h1>{greeting}</h1>" in response.text
    assert role_labels_on(response) == roles


def test_wrong_password_error_in_dutch(client, demo_users):
    response = log_in(client, "clerk", "wrong-password", **DUTCH)

    assert response.status_code == 200
    assert "Voer een juiste gebruikersnaam en wachtwoord in." in response.text
    assert "_auth_user_id" not in client.session


def test_wrong_password_error_in_english(client, demo_users):
    response = log_in(client, "clerk", "wrong-password", **ENGLISH)

    assert response.status_code == 200
    assert "Please enter a correct username and password." in response.text


def test_login_page_dutch_for_dutch_browser(client):
    response = client.get(reverse("login"), **DUTCH)

    assert '<html lang="nl">' in response.text
    assert "<h1>Inloggen</h1>" in response.text
    assert "Wachtwoord vergeten?" in response.text


def test_login_page_english_for_english_browser(client):
    response = client.get(reverse("login"), **ENGLISH)

    assert '<html lang="en">' in response.text
    assert "<h1>Log in</h1>" in response.text
    assert "Forgot your password?" in response.text


def test_login_page_dutch_by_default(client):
    response = client.get(reverse("login"))

    assert "<h1>Inloggen</h1>" in response.text


def test_login_page_links_to_password_reset(client):
    response = client.get(reverse("login"))

    assert f'href="{reverse("password_reset")}"' in response.text


def test_english_user_in_dutch_browser(client, demo_users):
    response = log_in(client, "employee", **DUTCH)

    assert "<h1>Welcome, Femke Smit</h1>" in response.text
    assert '<html lang="en">' in response.text


def test_dutch_user_in_english_browser(client, demo_users):
    response = log_in(client, "clerk", **ENGLISH)

    assert "<h1>Welkom, Anna de Klerk</h1>" in response.text


def test_login_sets_language_cookie_of_user(client, demo_users):
    log_in(client, "employee", **DUTCH)

    assert client.cookies["django_language"].value == "en"


def test_anonymous_home_redirects_to_login(client):
    response = client.get(reverse("home"))

    assert response.status_code == 302
    assert response.url == f"{reverse('login')}?next=/"


def test_signed_in_user_skips_login_page(client, demo_users):
    client.force_login(demo_users["clerk"])

    response = client.get(reverse("login"))

    assert response.status_code == 302
    assert response.url == reverse("home")


def test_profile_changes_language(client, demo_users):
    client.force_login(demo_users["clerk"])

    saved = client.post(reverse("profile"), {"language": "en"}, follow=True)
    home = client.get(reverse("home"))

    demo_users["clerk"].refresh_from_db()
    assert demo_users["clerk"].language == "en"
    assert "Your profile has been saved." in saved.text
    assert "<h1>Welcome, Anna de Klerk</h1>" in home.text


def test_profile_rejects_unknown_language(client, demo_users):
    client.force_login(demo_users["clerk"])

    response = client.post(reverse("profile"), {"language": "fr"})

    demo_users["clerk"].refresh_from_db()
    assert response.status_code == 200
    assert demo_users["clerk"].language == "nl"


def test_profile_shows_roles_and_manager(client, demo_users):
    client.force_login(demo_users["employee"])

    response = client.get(reverse("profile"))

    assert role_labels_on(response) == ["Employee"]
    assert "<dt>Manager</dt><dd>Bram Visser</dd>" in response.text


def test_language_switch_changes_signed_in_user(client, demo_users):
    client.force_login(demo_users["clerk"])

    response = client.post(
        reverse("switch_language"), {"language": "en", "next": reverse("profile")}
    )

    demo_users["clerk"].refresh_from_db()
    assert response.status_code == 302
    assert response.url == reverse("profile")
    assert demo_users["clerk"].language == "en"


def test_language_switch_before_login_sets_cookie(client):
    client.post(reverse("switch_language"), {"language": "nl", "next": "/login/"})

    response = client.get(reverse("login"), **ENGLISH)

    assert "<h1>Inloggen</h1>" in response.text


def test_language_switch_needs_post(client):
    response = client.get(reverse("switch_language"), {"language": "en"})

    assert response.status_code == 405


def test_home_lists_cost_centres_and_projects(client, demo_users):
    holder = demo_users["budgetholder"]
    marketing = CostCentre.objects.create(
        code="CC-900", name="Events", budget_holder=holder
    )
    CostCentre.objects.create(
        code="CC-901", name="Closed", budget_holder=holder, is_active=False
    )
    Project.objects.create(
        code="P-77", name="Trade fair", lead=holder, cost_centre=marketing
    )
    client.force_login(holder)

    response = client.get(reverse("home"))

    assert "Cost centres you hold the budget of" in response.text
    assert '<span class="code">CC-900</span> Events' in response.text
    assert "CC-901" not in response.text
    assert '<span class="code">P-77</span> Trade fair' in response.text


def test_home_shows_manager(client, demo_users):
    client.force_login(demo_users["employee"])

    response = client.get(reverse("home"))

    assert "<p>Bram Visser</p>" in response.text


def test_home_links_admin_site_for_staff_only(client, demo_users):
    client.force_login(demo_users["admin"])
    admin_home = client.get(reverse("home"))
    client.force_login(demo_users["auditor"])

    auditor_home = client.get(reverse("home"))

    assert f'href="{reverse("admin:index")}"' in admin_home.text
    assert f'href="{reverse("admin:index")}"' not in auditor_home.text


def test_home_links_api_docs(client, demo_users):
    client.force_login(demo_users["employee"])

    response = client.get(reverse("home"))

    assert 'href="/api/v1/docs"' in response.text


def test_favicon_ico_redirects_to_svg(client):
    response = client.get("/favicon.ico")

    assert response.status_code == 302
    assert response["Location"] == "/static/fiat/favicon.svg"


def test_admin_pages_have_favicon_and_fiat_branding(client, demo_users):
    client.force_login(demo_users["admin"])

    response = client.get(reverse("admin:index"))

    assert '<link rel="icon" href="/static/fiat/favicon.svg"' in response.text
    assert '<div id="site-name"><a href="/admin/">Fiat</a></div>' in response.text
    assert "| Fiat</title>" in response.text


def test_home_links_outbox_only_when_enabled(client, demo_users, settings):
    client.force_login(demo_users["controller"])
    settings.FIAT_OUTBOX_PAGE = True
    shown = client.get(reverse("home"))

    settings.FIAT_OUTBOX_PAGE = False
    hidden = client.get(reverse("home"))

    assert f'href="{reverse("outbox")}"' in shown.text
    assert f'href="{reverse("outbox")}"' not in hidden.text


def test_logout_by_post_returns_to_login(client, demo_users):
    client.force_login(demo_users["clerk"])

    response = client.post(reverse("logout"))

    assert response.status_code == 302
    assert response.url == reverse("login")
    assert "_auth_user_id" not in client.session


def test_logout_button_in_top_bar(client, demo_users):
    client.force_login(demo_users["clerk"])

    response = client.get(reverse("profile"))

    assert f'<form class="logout" action="{reverse("logout")}" method="post">' in (
        response.text
    )


def test_password_change_keeps_user_signed_in(client, demo_users):
    client.force_login(demo_users["clerk"])

    response = client.post(
        reverse("password_change"),
        {
            "old_password": "demo-clerk",
            "new_password1": "Lentebloesem-2031",
            "new_password2": "Lentebloesem-2031",
        },
        follow=True,
    )

    assert response.redirect_chain == [(reverse("password_change_done"), 302)]
    assert "<h1>Wachtwoord gewijzigd</h1>" in response.text
    assert client.login(username="clerk", password="Lentebloesem-2031")


def reset_link_in(body: str) -> str:
    match = re.search(r"http://testserver(/password/reset/\S+/)", body)
    assert match, f"No reset link in the mail:\n{body}"
    return match.group(1)


@pytest.fixture
def base_url_of_test_client(settings):
    settings.FIAT_BASE_URL = "http://testserver"


@pytest.mark.usefixtures("base_url_of_test_client")
def test_password_reset_mail_lands_in_outbox(client, demo_users, outbox):
    response = client.post(
        reverse("password_reset"), {"email": demo_users["employee"].email}
    )

    mail = outbox.get()
    assert response.status_code == 302
    assert response.url == reverse("password_reset_done")
    assert mail.to == [demo_users["employee"].email]
    assert mail.subject == "Set a new password for Fiat"
    assert mail.language == "en"
    assert "Hello Femke Smit," in mail.body_text
    assert "Your username is employee." in mail.body_text
    assert "The link works once, for 3 days." in mail.body_text


@pytest.mark.usefixtures("base_url_of_test_client")
def test_reset_mail_in_users_language(client, demo_users, outbox):
    client.post(
        reverse("password_reset"), {"email": demo_users["clerk"].email}, **ENGLISH
    )

    mail = outbox.get()
    assert mail.subject == "Stel een nieuw wachtwoord in voor Fiat"
    assert mail.language == "nl"
    assert "Hallo Anna de Klerk," in mail.body_text


@pytest.mark.usefixtures("base_url_of_test_client")
def test_password_reset_link_sets_new_password(client, demo_users, outbox):
    client.post(reverse("password_reset"), {"email": demo_users["auditor"].email})
    link = reset_link_in(outbox.get().body_text)

    form_page = client.get(link, follow=True)
    done = client.post(
        form_page.redirect_chain[-1][0],
        {"new_password1": "Herfstwind-4471", "new_password2": "Herfstwind-4471"},
        follow=True,
    )

    assert "<h1>Kies een nieuw wachtwoord</h1>" in form_page.text
    assert done.redirect_chain == [(reverse("password_reset_complete"), 302)]
    assert client.login(username="auditor", password="Herfstwind-4471")
    assert not client.login(username="auditor", password="demo-auditor")


@pytest.mark.usefixtures("base_url_of_test_client")
def test_password_reset_link_works_once(client, demo_users, outbox):
    client.post(reverse("password_reset"), {"email": demo_users["auditor"].email})
    link = reset_link_in(outbox.get().body_text)
    form_page = client.get(link, follow=True)
    new_password = {
        "new_password1": "Herfstwind-4471",
        "new_password2": "Herfstwind-4471",
    }
    client.post(form_page.redirect_chain[-1][0], new_password)

    second_visit = client.get(link, follow=True)

    assert "Deze link is verlopen of al gebruikt." in second_visit.text


def test_reset_for_unknown_address_sends_nothing(client, demo_users, outbox):
    response = client.post(reverse("password_reset"), {"email": "nobody@example.com"})

    assert response.status_code == 302
    assert response.url == reverse("password_reset_done")
    assert outbox.count() == 0


@pytest.mark.urls(__name__)
def test_role_required_redirects_anonymous_to_login(client):
    response = client.get("/controller-only/")

    assert response.status_code == 302
    assert response.url == "/login/?next=/controller-only/"


@pytest.mark.urls(__name__)
def test_role_required_forbids_other_roles(client, demo_users):
    client.force_login(demo_users["clerk"])

    response = client.get("/controller-only/")

    assert response.status_code == 403
    assert "<h1>Geen toegang</h1>" in response.text
    assert "Deze pagina is voor deze rollen: Controller, Directeur." in response.text


@pytest.mark.urls(__name__)
@pytest.mark.parametrize("username", ["controller", "director", "admin"])
def test_role_required_admits_role_holders(client, demo_users, username):
    client.force_login(demo_users[username])

    response = client.get("/controller-only/")

    assert response.status_code == 200
    assert response.text == "controller page"


@pytest.mark.urls(__name__)
def test_role_mixin_redirects_anonymous_to_login(client):
    response = client.get("/auditor-only/")

    assert response.status_code == 302
    assert response.url == "/login/?next=/auditor-only/"


@pytest.mark.urls(__name__)
def test_role_mixin_forbids_other_roles(client, demo_users):
    client.force_login(demo_users["employee"])

    response = client.get("/auditor-only/")

    assert response.status_code == 403
    assert "This page is for these roles: Auditor." in response.text


@pytest.mark.urls(__name__)
def test_role_mixin_admits_holder(client, demo_users):
    client.force_login(demo_users["auditor"])

    response = client.get("/auditor-only/")

    assert response.text == "auditor page"


def test_unknown_page_shows_translated_404(client):
    response = client.get("/no-such-page/", **DUTCH)

    assert response.status_code == 404
    assert "<h1>Pagina niet gevonden</h1>" in response.text


def test_stylesheet_found_by_staticfiles():
    # collectstatic and the test server find static files through these
    # finders, so a stylesheet they miss leaves every page unstyled.
    found = finders.find("fiat/fiat.css")

    assert found is not None
