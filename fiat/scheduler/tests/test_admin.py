"""The admin lists every job with its last and next run, and the runs read-only."""

from datetime import UTC, datetime

import pytest
from django.test import Client
from django.utils import formats, timezone, translation

from fiat.core.models import User
from fiat.scheduler.models import RunStatus, ScheduledJob, ScheduledRun
from fiat.scheduler.registry import get_job
from fiat.scheduler.runs import sync_jobs


@pytest.fixture
def admin_client(client):
    user = User.objects.create_superuser(
        username="root", password="secret-root", language="en"
    )
    client.force_login(user)
    return client


def shown_datetime(value: datetime, date_format: str = "DATETIME_FORMAT") -> str:
    with translation.override("en"):
        return formats.date_format(timezone.localtime(value), date_format)


@pytest.mark.django_db
def test_job_list_shows_last_and_next_run(admin_client):
    sync_jobs()
    slot_at = datetime(2026, 3, 2, 2, 0, tzinfo=UTC)
    finished_at = datetime(2026, 3, 2, 2, 0, 5, tzinfo=UTC)
    ScheduledRun.objects.create(
        job_name="tasks.prune",
        slot_at=slot_at,
        status=RunStatus.FAILED,
        finished_at=finished_at,
    )
    next_run = get_job("tasks.prune").schedule.next_slot(timezone.now())

    response = admin_client.get("/admin/scheduler/scheduledjob/")

    page = response.content.decode()
    assert response.status_code == 200
    assert "Next run" in page
    assert '<td class="field-schedule_text">daily at 03:00 (Europe/Amsterdam)' in page
    assert (
        '<td class="field-last_run"><span title="Failed, slot '
        f'{shown_datetime(slot_at)}, finished {shown_datetime(finished_at)}">'
        "✗ 2 Mar 03:00</span></td>"
    ) in page
    assert (
        f'<td class="field-next_run"><span title="{shown_datetime(next_run)}">'
        f"{shown_datetime(next_run, 'j M H:i')}</span></td>"
    ) in page


@pytest.mark.django_db
def test_job_list_shows_unfinished_run_without_finish_time(admin_client):
    sync_jobs()
    slot_at = datetime(2026, 3, 2, 2, 0, tzinfo=UTC)
    ScheduledRun.objects.create(
        job_name="tasks.prune", slot_at=slot_at, status=RunStatus.RUNNING
    )

    response = admin_client.get("/admin/scheduler/scheduledjob/")

    assert (
        '<td class="field-last_run"><span title="Running, slot '
        f'{shown_datetime(slot_at)}">▶ 2 Mar 03:00</span></td>'
    ) in response.content.decode()


@pytest.mark.django_db
def test_job_list_leaves_description_out(admin_client):
    sync_jobs()

    response = admin_client.get("/admin/scheduler/scheduledjob/")

    page = response.content.decode()
    assert "field-name" in page
    assert "Delete finished background task results" not in page


@pytest.mark.django_db
def test_job_list_shows_disabled_job_without_next_run(admin_client):
    sync_jobs()
    ScheduledJob.objects.filter(name="tasks.prune").update(enabled=False)

    response = admin_client.get("/admin/scheduler/scheduledjob/?enabled__exact=0")

    page = response.content.decode()
    assert [job.name for job in response.context["cl"].result_list] == ["tasks.prune"]
    assert '<td class="field-next_run">disabled</td>' in page


@pytest.mark.django_db
def test_disable_action_switches_job_off(admin_client):
    sync_jobs()
    job = ScheduledJob.objects.get(name="tasks.prune")

    admin_client.post(
        "/admin/scheduler/scheduledjob/",
        {"action": "disable_jobs", "_selected_action": [job.pk]},
    )

    job.refresh_from_db()
    assert job.enabled is False


@pytest.mark.django_db
def test_run_list_filters_by_status(admin_client):
    ScheduledRun.objects.create(
        job_name="tasks.prune",
        slot_at=datetime(2026, 3, 2, 2, 0, tzinfo=UTC),
        status=RunStatus.FAILED,
    )
    ScheduledRun.objects.create(
        job_name="audit.seal",
        slot_at=datetime(2026, 3, 2, 2, 1, tzinfo=UTC),
        status=RunStatus.SUCCEEDED,
    )

    response = admin_client.get("/admin/scheduler/scheduledrun/?status__exact=failed")

    listed_runs = response.context["cl"].result_list
    assert response.status_code == 200
    assert [run.job_name for run in listed_runs] == ["tasks.prune"]


@pytest.mark.django_db
def test_runs_cannot_be_added_or_changed(admin_client):
    run = ScheduledRun.objects.create(
        job_name="tasks.prune",
        slot_at=datetime(2026, 3, 2, 2, 0, tzinfo=UTC),
        status=RunStatus.FAILED,
    )

    add_page = admin_client.get("/admin/scheduler/scheduledrun/add/")
    change = admin_client.post(
        f"/admin/scheduler/scheduledrun/{run.pk}/change/", {"status": "succeeded"}
    )

    run.refresh_from_db()
    assert add_page.status_code == 403
    assert change.status_code == 403
    assert run.status == RunStatus.FAILED


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("viewport_name", ["desktop"])
@pytest.mark.parametrize("language", ["en", "nl"])
def test_job_list_columns_fit_desktop_width(page, live_server, language):
    sync_jobs()
    ScheduledRun.objects.create(
        job_name="tasks.prune",
        slot_at=datetime(2026, 3, 2, 2, 0, tzinfo=UTC),
        status=RunStatus.SUCCEEDED,
        finished_at=datetime(2026, 3, 2, 2, 0, 5, tzinfo=UTC),
    )
    sign_in_as_superuser(page, live_server.url, language)

    page.goto("/admin/scheduler/scheduledjob/")

    # The table scrolls inside .results, which hides what is past its edge.
    results = page.locator("#changelist .results").bounding_box()
    visible_right_edge = min(results["x"] + results["width"], 1280)
    headers = page.locator("#result_list thead th")
    assert headers.count() == 5
    for index in range(headers.count()):
        box = headers.nth(index).bounding_box()
        right_edge = box["x"] + box["width"]
        assert right_edge <= visible_right_edge, headers.nth(index).inner_text()


def sign_in_as_superuser(page, base_url: str, language: str) -> None:
    user = User.objects.create_superuser(
        username="root", password="secret-root", language=language
    )
    client = Client()
    client.force_login(user)
    page.context.add_cookies(
        [
            {
                "name": "sessionid",
                "value": client.cookies["sessionid"].value,
                "url": base_url,
            }
        ]
    )
