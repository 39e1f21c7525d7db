"""The demo company's approval policy."""

from importlib.resources import files

from fiat.approvals.models import Policy
from fiat.approvals.policy_yaml import import_policies, parse_policies

DEMO_POLICY = files("fiat.approvals").joinpath("demo_policy.yaml")


def load_demo_policy() -> None:
    """Import the demo policy unless its document kinds have a policy already.

    An administrator's own policy is never replaced, and running the demo
    twice changes nothing.
    """
    text = DEMO_POLICY.read_text(encoding="utf-8")
    kinds = [entry["document_kind"] for entry in parse_policies(text)["policies"]]
    if Policy.objects.filter(document_kind__in=kinds).exists():
        return
    import_policies(text)
