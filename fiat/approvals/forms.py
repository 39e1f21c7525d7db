"""Forms of the approval pages: a decision, a reassignment, a delegation."""

from django import forms
from django.utils.translation import gettext_lazy as _

from fiat.approvals.approvers import approving_users
from fiat.approvals.models import DecisionOutcome
from fiat.core.models import User


class DecisionForm(forms.Form):
    """Approve or reject; the button pressed carries the outcome."""

    outcome = forms.ChoiceField(choices=DecisionOutcome.choices)
    # The step the page showed, so that a decision posted after someone else
    # decided it is told who did, instead of landing on the next step.
    step = forms.IntegerField(required=False, widget=forms.HiddenInput)
    comment = forms.CharField(
        label=_("Comment"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Required when you reject: the submitter reads it."),
    )


class UserChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, user: User) -> str:
        name = user.get_full_name()
        return f"{name} ({user.username})" if name else user.username


class ReassignForm(forms.Form):
    assignment = forms.IntegerField(widget=forms.HiddenInput)
    to_user = UserChoiceField(label=_("Give the task to"), queryset=User.objects.none())

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["to_user"].queryset = approving_users()


class DelegationForm(forms.Form):
    stand_in = UserChoiceField(label=_("Stand-in"), queryset=User.objects.none())
    start_date = forms.DateField(
        label=_("First day"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    end_date = forms.DateField(
        label=_("Last day"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text=_("Both days included."),
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["stand_in"]
        # Any user validates, so that a stand-in deactivated after the page
        # was shown gets a message that says so rather than "not a valid
        # choice"; only active users are offered.
        field.queryset = User.objects.all()
        field.widget.choices = [("", "---------")] + [
            (user.pk, field.label_from_instance(user)) for user in approving_users()
        ]
