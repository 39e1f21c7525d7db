"""API tokens: creation, authentication, revocation and the ``fiat token`` command."""

import hashlib
import io
import threading
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from fiat.core.models import ApiToken, User
from fiat.core.tokens import (
    AmbiguousPrefixError,
    _record_use,
    authenticate_token,
    create_token,
    find_token_by_prefix,
    revoke_token,
)

pytestmark = pytest.mark.django_db

NOON = datetime(2026, 3, 2, 12, 0, tzinfo=UTC)


@pytest.fixture
def alice() -> User:
    return User.objects.create_user("alice", email="alice@example.com")


def run_token_command(*args: str) -> tuple[str, str]:
    stdout, stderr = io.StringIO(), io.StringIO()
    call_command("token", *args, stdout=stdout, stderr=stderr)
    return stdout.getvalue(), stderr.getvalue()


def test_create_token_stores_digest_and_prefix(alice):
    token, raw = create_token(alice, "ERP sync")

    stored = ApiToken.objects.get(pk=token.pk)
    assert raw.startswith("fiat_")
    assert len(raw) == 48
    assert stored.digest == hashlib.sha256(raw.encode()).hexdigest()
    assert stored.prefix == raw[:12]
    assert stored.name == "ERP sync"
    assert stored.user == alice
    assert raw not in (stored.digest, stored.prefix, stored.name)


def test_create_token_makes_different_tokens(alice):
    _, first = create_token(alice, "one")
    _, second = create_token(alice, "two")

    assert first != second


def test_authenticate_token_returns_owner(alice):
    _, raw = create_token(alice, "ERP sync")

    assert authenticate_token(raw) == alice


@pytest.mark.parametrize("raw", ["", "fiat_wrong", "x" * 101])
def test_authenticate_token_rejects_unknown_token(alice, raw):
    create_token(alice, "ERP sync")

    assert authenticate_token(raw) is None


def test_authenticate_token_rejects_revoked_token(alice):
    token, raw = create_token(alice, "ERP sync")

    revoke_token(token)

    assert authenticate_token(raw) is None


def test_authenticate_token_rejects_inactive_user(alice):
    _, raw = create_token(alice, "ERP sync")
    alice.is_active = False
    alice.save()

    assert authenticate_token(raw) is None


def test_authenticate_token_records_first_use(alice):
    token, raw = create_token(alice, "ERP sync")

    authenticate_token(raw, now=NOON)

    token.refresh_from_db()
    assert token.last_used_at == NOON


def test_last_used_at_updates_once_a_minute(alice):
    token, raw = create_token(alice, "ERP sync")
    authenticate_token(raw, now=NOON)

    authenticate_token(raw, now=NOON + timedelta(seconds=59))
    token.refresh_from_db()
    within_the_minute = token.last_used_at
    authenticate_token(raw, now=NOON + timedelta(seconds=61))
    token.refresh_from_db()

    assert within_the_minute == NOON
    assert token.last_used_at == NOON + timedelta(seconds=61)


def test_stale_read_does_not_overwrite_newer_use(alice):
    # Two requests read the token before either records its use: the
    # second UPDATE finds the newer time in the row and writes nothing.
    token, _ = create_token(alice, "ERP sync")
    stale = ApiToken.objects.get(pk=token.pk)
    _record_use(token, NOON + timedelta(seconds=30))

    _record_use(stale, NOON)

    token.refresh_from_db()
    assert token.last_used_at == NOON + timedelta(seconds=30)


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_uses_write_once(alice):
    token, _ = create_token(alice, "ERP sync")
    threads = 8
    barrier = threading.Barrier(threads)

    def use_token() -> bool:
        stale = ApiToken.objects.get(pk=token.pk)
        barrier.wait(timeout=10)
        try:
            return _record_use(stale, NOON)
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=threads) as pool:
        writes = list(pool.map(lambda _: use_token(), range(threads)))

    token.refresh_from_db()
    assert writes.count(True) == 1
    assert token.last_used_at == NOON


def test_authenticate_token_query_count(alice, django_assert_num_queries):
    _, raw = create_token(alice, "ERP sync")
    authenticate_token(raw, now=NOON)

    with django_assert_num_queries(1):
        authenticate_token(raw, now=NOON + timedelta(seconds=10))
    with django_assert_num_queries(2):
        authenticate_token(raw, now=NOON + timedelta(minutes=2))


def test_revoke_token_keeps_first_revocation_time(alice):
    token, _ = create_token(alice, "ERP sync")

    first = revoke_token(token, now=NOON)
    second = revoke_token(token, now=NOON + timedelta(hours=1))

    token.refresh_from_db()
    assert first is True
    assert second is False
    assert token.revoked_at == NOON


def test_find_token_accepts_whole_token(alice):
    token, raw = create_token(alice, "ERP sync")

    assert find_token_by_prefix(raw) == token
    assert find_token_by_prefix(raw[:12]) == token


def test_find_token_ignores_short_and_revoked(alice):
    token, raw = create_token(alice, "ERP sync")

    short = find_token_by_prefix(raw[:11])
    revoke_token(token)

    assert short is None
    assert find_token_by_prefix(raw[:12]) is None


def test_find_token_limits_to_user(alice):
    bob = User.objects.create_user("bob")
    _, raw = create_token(alice, "ERP sync")

    assert find_token_by_prefix(raw, user=bob) is None


def test_find_token_rejects_ambiguous_prefix(alice):
    ApiToken.objects.create(user=alice, name="a", prefix="fiat_1234567", digest="a")
    ApiToken.objects.create(user=alice, name="b", prefix="fiat_1234567", digest="b")

    with pytest.raises(AmbiguousPrefixError) as raised:
        find_token_by_prefix("fiat_1234567")

    assert raised.value.count == 2


def test_token_create_command_prints_token_once(alice):
    stdout, stderr = run_token_command("create", "alice", "--name", "ERP sync")

    raw = stdout.strip()
    assert authenticate_token(raw) == alice
    assert ApiToken.objects.get().name == "ERP sync"
    assert "shown only now" in stderr
    assert raw not in stderr


def test_token_create_command_rejects_unknown_user():
    with pytest.raises(CommandError, match="No user is named 'nobody'"):
        run_token_command("create", "nobody", "--name", "ERP sync")


def test_token_create_command_rejects_inactive_user(alice):
    alice.is_active = False
    alice.save()

    with pytest.raises(CommandError, match="inactive"):
        run_token_command("create", "alice", "--name", "ERP sync")

    assert ApiToken.objects.count() == 0


def test_token_list_command_shows_prefixes(alice):
    bob = User.objects.create_user("bob")
    alice_token, alice_raw = create_token(alice, "ERP sync")
    bob_token, _ = create_token(bob, "Bank feed")
    revoke_token(bob_token, now=NOON)

    everyone, _ = run_token_command("list")
    only_alice, _ = run_token_command("list", "alice")

    lines = everyone.splitlines()
    assert lines[0].split() == [
        "PREFIX",
        "USER",
        "NAME",
        "CREATED",
        "LAST",
        "USED",
        "REVOKED",
    ]
    assert len(lines) == 3
    assert bob_token.prefix in everyone
    assert "2026-03-02 13:00" in everyone
    assert alice_token.prefix in only_alice
    assert bob_token.prefix not in only_alice
    assert alice_raw not in everyone


def test_token_revoke_command_revokes_by_prefix(alice):
    token, raw = create_token(alice, "ERP sync")

    stdout, _ = run_token_command("revoke", token.prefix)

    assert stdout == f"Revoked token {token.prefix} (ERP sync) of alice.\n"
    assert authenticate_token(raw) is None


def test_token_revoke_command_rejects_unknown_prefix(alice):
    with pytest.raises(CommandError, match="No active token starts with"):
        run_token_command("revoke", "fiat_0000000")
