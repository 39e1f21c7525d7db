"""The admin lists every job with its last and next run, and the runs read-only."""

from datetime import UTC, datetime

import pytest
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


def shown_datetime(value: datetime) -> str:
    with translation.override("en"):
        return formats.localize(timezone.template_localtime(value))


@pytest.mark.django_db
def test_job_list_shows_last_and_next_run(admin_client):
    sync_jobs()
    ScheduledRun.objects.create(
        job_name="tasks.prune",
        slot_at=datetime(2026, 3, 2, 2, 0, tzinfo=UTC),
        status=RunStatus.FAILED,
    )
    next_run = get_job("tasks.prune").schedule.next_slot(timezone.now())

    response = admin_client.get("/admin/scheduler/scheduledjob/")

    page = response.content.decode()
    assert response.status_code == 200
    assert "Next run" in page
    assert '<td class="field-schedule_text">daily at 03:00 (Europe/Amsterdam)' in page
    assert (
        '<td class="field-last_run_slot nowrap">'
        f"{shown_datetime(datetime(2026, 3, 2, 2, 0, tzinfo=UTC))}</td>"
    ) in page
    assert '<td class="field-last_run_status">Failed</td>' in page
    assert f'<td class="field-next_run nowrap">{shown_datetime(next_run)}</td>' in page


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
