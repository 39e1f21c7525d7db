"""``fiat token``: create, list and revoke API tokens from the command line."""

from datetime import datetime

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from fiat.core.models import ApiToken, User
from fiat.core.tokens import (
    AmbiguousPrefixError,
    create_token,
    find_token_by_prefix,
    revoke_token,
)


class Command(BaseCommand):
    help = "Create, list and revoke API tokens."

    def add_arguments(self, parser: CommandParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True)
        create = actions.add_parser("create", help="Create a token for a user.")
        create.add_argument("username")
        create.add_argument(
            "--name", required=True, help="What the token is for, such as 'ERP sync'."
        )
        listing = actions.add_parser("list", help="List tokens, newest first.")
        listing.add_argument("username", nargs="?", help="Only this user's tokens.")
        revoke = actions.add_parser("revoke", help="Revoke a token.")
        revoke.add_argument("prefix", help="The prefix shown by 'fiat token list'.")

    def handle(self, *args, action: str, **options) -> None:
        if action == "create":
            self._create(options["username"], options["name"])
        elif action == "list":
            self._list(options["username"])
        else:
            self._revoke(options["prefix"])

    def _create(self, username: str, name: str) -> None:
        user = _get_user(username)
        if not user.is_active:
            raise CommandError(
                f"User {username!r} is inactive, so a token would not work. "
                "Activate the user in the admin first."
            )
        _, raw = create_token(user, name)
        self.stdout.write(raw)
        self.stderr.write(
            "This token is shown only now and cannot be recovered. Store it in "
            "a secret store. If it is lost, revoke it and create a new one.",
            style_func=self.style.WARNING,
        )

    def _list(self, username: str | None) -> None:
        tokens = ApiToken.objects.select_related("user").order_by("-created_at", "-pk")
        if username is not None:
            tokens = tokens.filter(user=_get_user(username))
        rows = [("PREFIX", "USER", "NAME", "CREATED", "LAST USED", "REVOKED")]
        rows += [_token_row(token) for token in tokens]
        widths = [max(len(row[column]) for row in rows) for column in range(6)]
        for row in rows:
            cells = (cell.ljust(width) for cell, width in zip(row, widths, strict=True))
            self.stdout.write("  ".join(cells).rstrip())

    def _revoke(self, prefix: str) -> None:
        try:
            token = find_token_by_prefix(prefix)
        except AmbiguousPrefixError as error:
            raise CommandError(str(error)) from error
        if token is None:
            raise CommandError(
                f"No active token starts with {prefix!r}. "
                "Run 'fiat token list' to see the prefixes."
            )
        revoke_token(token)
        self.stdout.write(
            f"Revoked token {token.prefix} ({token.name}) of {token.user.username}."
        )


def _get_user(username: str) -> User:
    try:
        return User.objects.get(username=username)
    except User.DoesNotExist:
        raise CommandError(f"No user is named {username!r}.") from None


def _token_row(token: ApiToken) -> tuple[str, ...]:
    return (
        token.prefix,
        token.user.username,
        token.name,
        _format_time(token.created_at),
        _format_time(token.last_used_at),
        _format_time(token.revoked_at),
    )


def _format_time(moment: datetime | None) -> str:
    if moment is None:
        return "-"
    return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M")
