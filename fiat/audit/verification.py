"""Verification of the audit trail: recompute every chain and seal.

``verify_trail`` reads every event once in chain order and every seal once,
with database iterators, so its memory use grows with the number of problems
found, not with the number of events. It returns each mismatch as a
``TrailProblem`` instead of stopping at the first.

It catches these changes:

- a changed event field, because the event's hash no longer matches;
- a changed event hash, because the next event's previous_hash or the seal
  no longer matches;
- a deleted event, through a sequence gap or a seal whose events no longer
  add up;
- a changed or deleted seal, through the chain of seals.

Limits: the newest event of an object that no seal covers yet can be deleted
without a trace, because nothing refers to it. The periodic seal keeps that
window short. Someone who can write to the database can also rewrite every
hash and seal consistently, so compare the latest seal hash with one kept
outside the database to rule that out.
"""

from dataclasses import dataclass, field
from enum import StrEnum
from itertools import groupby
from operator import itemgetter

from django.utils.translation import gettext_lazy

from fiat.audit.hashing import (
    EVENT_HASH_FIELDS,
    GENESIS_HASH,
    SealDigest,
    compute_event_hash,
    compute_seal_digest,
)
from fiat.audit.models import AuditEvent, AuditSeal

DEFAULT_CHUNK_SIZE = 2000


class ProblemKind(StrEnum):
    """The kind of a mismatch, with a stable value that reports can show."""

    EVENT_HASH_MISMATCH = "event hash mismatch"
    EVENT_FIELDS_INVALID = "event fields invalid"
    CHAIN_BROKEN = "chain broken: previous_hash does not match"
    SEQUENCE_GAP = "sequence gap"
    SEAL_HASH_MISMATCH = "seal hash mismatch"
    SEAL_CHAIN_BROKEN = "seal chain broken: previous_hash does not match"
    SEAL_SEQUENCE_GAP = "seal sequence gap"
    SEAL_EVENT_COUNT_MISMATCH = "seal event count mismatch"
    SEAL_EVENT_RANGE_MISMATCH = "seal event range mismatch"


@dataclass(frozen=True)
class TrailProblem:
    """One mismatch found in the trail: what was expected and what was found.

    Event problems carry the event's id, object and action. Seal problems
    carry the seal's sequence number.
    """

    kind: ProblemKind
    expected: str
    found: str
    event_id: int | None = None
    object_type: str = ""
    object_id: str = ""
    action: str = ""
    seal_sequence: int | None = None

    def describe(self) -> str:
        """Return a sentence an auditor can act on, naming the broken record."""
        values = {
            "event": self.event_id,
            "object": f"{self.object_type} {self.object_id}",
            "action": self.action,
            "seal": self.seal_sequence,
            "expected": self.expected,
            "found": self.found,
        }
        return str(_MESSAGES[self.kind]) % values


_MESSAGES = {
    ProblemKind.EVENT_HASH_MISMATCH: gettext_lazy(
        "Audit event %(event)s (%(object)s, action %(action)s) was changed: "
        "stored hash %(found)s does not match %(expected)s, the hash of its "
        "fields."
    ),
    ProblemKind.EVENT_FIELDS_INVALID: gettext_lazy(
        "Audit event %(event)s (%(object)s, action %(action)s) was changed: "
        "its fields cannot be hashed (%(found)s)."
    ),
    ProblemKind.CHAIN_BROKEN: gettext_lazy(
        "Audit event %(event)s (%(object)s, action %(action)s) does not follow "
        "the previous event of its object: its previous_hash %(found)s does "
        "not match %(expected)s."
    ),
    ProblemKind.SEQUENCE_GAP: gettext_lazy(
        "Audit event %(event)s (%(object)s, action %(action)s) has sequence "
        "%(found)s where %(expected)s was expected: events of this object are "
        "missing."
    ),
    ProblemKind.SEAL_HASH_MISMATCH: gettext_lazy(
        "Audit seal %(seal)s does not match its events: stored hash %(found)s "
        "does not match %(expected)s, the hash computed from its events."
    ),
    ProblemKind.SEAL_CHAIN_BROKEN: gettext_lazy(
        "Audit seal %(seal)s does not follow the previous seal: its "
        "previous_hash %(found)s does not match %(expected)s."
    ),
    ProblemKind.SEAL_SEQUENCE_GAP: gettext_lazy(
        "Audit seal %(seal)s comes where seal %(expected)s was expected: "
        "seals are missing."
    ),
    ProblemKind.SEAL_EVENT_COUNT_MISMATCH: gettext_lazy(
        "Audit seal %(seal)s covers %(found)s events but was made over "
        "%(expected)s: events were deleted from it or moved."
    ),
    ProblemKind.SEAL_EVENT_RANGE_MISMATCH: gettext_lazy(
        "Audit seal %(seal)s covers events %(found)s but was made over events "
        "%(expected)s."
    ),
}


@dataclass
class TrailReport:
    """The outcome of verify_trail: counts, and every problem found."""

    event_count: int = 0
    sealed_event_count: int = 0
    seal_count: int = 0
    latest_seal: AuditSeal | None = None
    problems: list[TrailProblem] = field(default_factory=list)

    @property
    def is_intact(self) -> bool:
        return not self.problems

    @property
    def unsealed_event_count(self) -> int:
        return self.event_count - self.sealed_event_count

    @property
    def first_problem(self) -> TrailProblem | None:
        return self.problems[0] if self.problems else None


def verify_trail(*, chunk_size: int = DEFAULT_CHUNK_SIZE) -> TrailReport:
    """Recompute every event chain and every seal, and report all mismatches.

    Problems come sorted: event problems by event id (so the first is the
    oldest broken event), then seal problems by seal sequence.
    """
    report = TrailReport()
    _check_event_chains(report, chunk_size)
    _check_seals(report, chunk_size)
    report.problems.sort(
        key=lambda problem: (
            problem.event_id is None,
            problem.event_id or 0,
            problem.seal_sequence or 0,
        )
    )
    return report


def _check_event_chains(report: TrailReport, chunk_size: int) -> None:
    rows = (
        AuditEvent.objects.order_by("object_type", "object_id", "sequence")
        .values("id", "hash", *EVENT_HASH_FIELDS)
        .iterator(chunk_size=chunk_size)
    )
    previous = None
    for row in rows:
        report.event_count += 1
        same_object = previous is not None and (
            previous["object_type"],
            previous["object_id"],
        ) == (row["object_type"], row["object_id"])
        report.problems.extend(_check_event(row, previous if same_object else None))
        previous = row


def _check_event(row: dict, previous: dict | None) -> list[TrailProblem]:
    """Check one event against its own fields and the event before it."""

    def problem(kind: ProblemKind, expected: object, found: object) -> TrailProblem:
        return TrailProblem(
            kind=kind,
            expected=str(expected),
            found=str(found),
            event_id=row["id"],
            object_type=row["object_type"],
            object_id=row["object_id"],
            action=row["action"],
        )

    problems = []
    try:
        expected_hash = compute_event_hash(row)
    except (TypeError, ValueError) as error:
        problems.append(problem(ProblemKind.EVENT_FIELDS_INVALID, "", error))
    else:
        if expected_hash != row["hash"]:
            problems.append(
                problem(ProblemKind.EVENT_HASH_MISMATCH, expected_hash, row["hash"])
            )
    expected_sequence = previous["sequence"] + 1 if previous else 1
    if row["sequence"] != expected_sequence:
        problems.append(
            problem(ProblemKind.SEQUENCE_GAP, expected_sequence, row["sequence"])
        )
    expected_previous_hash = previous["hash"] if previous else GENESIS_HASH
    if row["previous_hash"] != expected_previous_hash:
        problems.append(
            problem(
                ProblemKind.CHAIN_BROKEN, expected_previous_hash, row["previous_hash"]
            )
        )
    return problems


def _check_seals(report: TrailReport, chunk_size: int) -> None:
    """Walk the seals in id order beside the sealed events grouped by seal."""
    seals = AuditSeal.objects.order_by("id").iterator(chunk_size=chunk_size)
    sealed_events = (
        AuditEvent.objects.filter(seal__isnull=False)
        .order_by("seal_id", "id")
        .values_list("seal_id", "id", "hash")
        .iterator(chunk_size=chunk_size)
    )
    groups = groupby(sealed_events, key=itemgetter(0))
    group = next(groups, None)
    previous = None
    for seal in seals:
        has_events = group is not None and group[0] == seal.id
        members = ()
        if has_events:
            members = ((event_id, event_hash) for _, event_id, event_hash in group[1])
        digest = compute_seal_digest(
            sequence=seal.sequence,
            sealed_at=seal.sealed_at,
            previous_hash=seal.previous_hash,
            events=members,
        )
        if has_events:
            # The group is consumed now, so the iterator can move on.
            group = next(groups, None)
        report.seal_count += 1
        report.sealed_event_count += digest.event_count
        report.problems.extend(_check_seal(seal, previous, digest))
        previous = seal
    report.latest_seal = previous


def _check_seal(
    seal: AuditSeal, previous: AuditSeal | None, digest: SealDigest
) -> list[TrailProblem]:
    """Check one seal against the events it covers and the seal before it."""
    expected_sequence = previous.sequence + 1 if previous else 1
    expected_previous_hash = previous.hash if previous else GENESIS_HASH
    recorded_range = f"{seal.first_event_id}-{seal.last_event_id}"
    found_range = f"{digest.first_event_id}-{digest.last_event_id}"
    checks = [
        (ProblemKind.SEAL_SEQUENCE_GAP, expected_sequence, seal.sequence),
        (ProblemKind.SEAL_CHAIN_BROKEN, expected_previous_hash, seal.previous_hash),
        (ProblemKind.SEAL_EVENT_COUNT_MISMATCH, seal.event_count, digest.event_count),
        (ProblemKind.SEAL_EVENT_RANGE_MISMATCH, recorded_range, found_range),
        (ProblemKind.SEAL_HASH_MISMATCH, digest.hash, seal.hash),
    ]
    return [
        TrailProblem(
            kind=kind,
            expected=str(expected),
            found=str(found),
            seal_sequence=seal.sequence,
        )
        for kind, expected, found in checks
        if expected != found
    ]
