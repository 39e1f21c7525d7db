"""The company, its people and parties, and the reference data every flow uses.

Roles decide what a user may see and do. A user can hold several roles; the
set is closed (``Role``) and granted per user through ``RoleGrant``. Cost
centres have a budget holder, projects a project lead, and users a manager:
the approval rules pick approvers through these links.
"""

from decimal import Decimal

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from fiat.core import identifiers
from fiat.core.validators import (
    validate_bic,
    validate_coc_number,
    validate_iban,
    validate_vat_number,
)


class Role(models.TextChoices):
    AP_CLERK = "ap_clerk", _("Accounts-payable clerk")
    APPROVER = "approver", _("Approver")
    BUDGET_HOLDER = "budget_holder", _("Budget holder")
    CONTROLLER = "controller", _("Controller")
    DIRECTOR = "director", _("Director")
    EMPLOYEE = "employee", _("Employee")
    ADMINISTRATOR = "administrator", _("Administrator")
    AUDITOR = "auditor", _("Auditor")


class Language(models.TextChoices):
    DUTCH = "nl", _("Dutch")
    ENGLISH = "en", _("English")


class Company(models.Model):
    """The one company this installation keeps the books of."""

    name = models.CharField(_("name"), max_length=200)
    legal_name = models.CharField(_("legal name"), max_length=200, blank=True)
    vat_number = models.CharField(
        _("VAT number"), max_length=20, blank=True, validators=[validate_vat_number]
    )
    coc_number = models.CharField(
        _("KvK number"), max_length=8, blank=True, validators=[validate_coc_number]
    )
    iban = models.CharField(
        _("IBAN"), max_length=34, blank=True, validators=[validate_iban]
    )
    bic = models.CharField(
        _("BIC"), max_length=11, blank=True, validators=[validate_bic]
    )
    street = models.CharField(_("street"), max_length=200, blank=True)
    postal_code = models.CharField(_("postal code"), max_length=20, blank=True)
    city = models.CharField(_("city"), max_length=100, blank=True)
    country = models.CharField(_("country"), max_length=2, default="NL")
    email = models.EmailField(_("e-mail"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("company")
        verbose_name_plural = _("company")

    def __str__(self) -> str:
        return self.name

    @classmethod
    def current(cls) -> "Company":
        company = cls.objects.order_by("pk").first()
        if company is None:
            raise cls.DoesNotExist(
                "No company is set up yet. Add one in the admin under "
                "Company and people, or run `fiat demo`."
            )
        return company


class User(AbstractUser):
    language = models.CharField(
        _("language"), max_length=2, choices=Language.choices, default=Language.DUTCH
    )
    manager = models.ForeignKey(
        "self",
        verbose_name=_("manager"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="reports",
    )
    iban = models.CharField(
        _("IBAN for reimbursements"),
        max_length=34,
        blank=True,
        validators=[validate_iban],
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self) -> str:
        return self.get_full_name() or self.username

    def role_codes(self) -> frozenset[str]:
        if not hasattr(self, "_role_codes"):
            self._role_codes = frozenset(
                self.role_grants.values_list("role", flat=True)
            )
        return self._role_codes

    def has_role(self, *roles: Role) -> bool:
        """Return whether the user has any of ``roles``; superusers have all."""
        if not self.is_active:
            return False
        return self.is_superuser or bool(self.role_codes() & set(roles))


class RoleGrant(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="role_grants"
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("role")
        verbose_name_plural = _("roles")
        constraints = [
            models.UniqueConstraint(fields=["user", "role"], name="unique_role_grant"),
        ]

    def __str__(self) -> str:
        return f"{self.user}: {self.get_role_display()}"


class CostCentre(models.Model):
    code = models.CharField(_("code"), max_length=20, unique=True)
    name = models.CharField(_("name"), max_length=200)
    budget_holder = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("budget holder"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="held_cost_centres",
    )
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("cost centre")
        verbose_name_plural = _("cost centres")
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class Budget(models.Model):
    """The amount a cost centre may spend in a year, in company currency."""

    cost_centre = models.ForeignKey(
        CostCentre, on_delete=models.CASCADE, related_name="budgets"
    )
    year = models.PositiveSmallIntegerField(_("year"))
    amount = models.DecimalField(
        _("amount"),
        max_digits=16,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0"))],
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("budget")
        verbose_name_plural = _("budgets")
        constraints = [
            models.UniqueConstraint(
                fields=["cost_centre", "year"], name="unique_budget_per_year"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.cost_centre.code} {self.year}"


class Party(models.Model):
    """A supplier, a customer, or both: anyone the company trades with."""

    name = models.CharField(_("name"), max_length=200)
    is_supplier = models.BooleanField(_("supplier"), default=False)
    is_customer = models.BooleanField(_("customer"), default=False)
    is_consumer = models.BooleanField(
        _("consumer"),
        default=False,
        help_text=_("A private person rather than a business."),
    )
    vat_number = models.CharField(
        _("VAT number"), max_length=20, blank=True, validators=[validate_vat_number]
    )
    coc_number = models.CharField(
        _("KvK number"), max_length=8, blank=True, validators=[validate_coc_number]
    )
    iban = models.CharField(
        _("IBAN"), max_length=34, blank=True, validators=[validate_iban]
    )
    bic = models.CharField(
        _("BIC"), max_length=11, blank=True, validators=[validate_bic]
    )
    email = models.EmailField(_("e-mail"), blank=True)
    invoice_email = models.EmailField(
        _("e-mail for invoices"),
        blank=True,
        help_text=_("Sales invoices are sent here; the e-mail above if empty."),
    )
    language = models.CharField(
        _("language"), max_length=2, choices=Language.choices, default=Language.DUTCH
    )
    street = models.CharField(_("street"), max_length=200, blank=True)
    postal_code = models.CharField(_("postal code"), max_length=20, blank=True)
    city = models.CharField(_("city"), max_length=100, blank=True)
    country = models.CharField(_("country"), max_length=2, default="NL")
    currency = models.CharField(_("currency"), max_length=3, default="EUR")
    payment_terms_days = models.PositiveSmallIntegerField(
        _("payment terms in days"), default=30
    )
    default_ledger_account = models.ForeignKey(
        "ledger.Account",
        verbose_name=_("default ledger account"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    default_vat_code = models.ForeignKey(
        "ledger.VatCode",
        verbose_name=_("default VAT code"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    skip_review = models.BooleanField(
        _("skip review"),
        default=False,
        help_text=_(
            "Submit this supplier's invoices for approval without a clerk's "
            "review when every field was read with trusted confidence, no check "
            "warns and its last five reviewed invoices needed no correction."
        ),
    )
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("supplier or customer")
        verbose_name_plural = _("suppliers and customers")
        ordering = ["name"]
        indexes = [
            models.Index(fields=["vat_number"]),
            models.Index(fields=["iban"]),
            models.Index(fields=["coc_number"]),
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        if not (self.is_supplier or self.is_customer):
            raise ValidationError(
                _("Mark the party as a supplier, a customer or both.")
            )
        # Store identifiers in their compact form so that matching on them
        # later compares like with like.
        for field, clean in (
            ("vat_number", identifiers.clean_vat_number),
            ("iban", identifiers.clean_iban),
            ("bic", identifiers.clean_bic),
            ("coc_number", identifiers.clean_coc_number),
        ):
            value = getattr(self, field)
            if not value:
                continue
            try:
                setattr(self, field, clean(value))
            except identifiers.InvalidIdentifierError:
                # The field's own validator reports it under the field name.
                continue


class Project(models.Model):
    code = models.CharField(_("code"), max_length=20, unique=True)
    name = models.CharField(_("name"), max_length=200)
    lead = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("project lead"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="led_projects",
    )
    cost_centre = models.ForeignKey(
        CostCentre,
        verbose_name=_("cost centre"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="projects",
    )
    customer = models.ForeignKey(
        Party,
        verbose_name=_("customer"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="projects",
    )
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("project")
        verbose_name_plural = _("projects")
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class ExchangeRate(models.Model):
    """How much one unit of ``currency`` is worth in company currency on a day."""

    currency = models.CharField(_("currency"), max_length=3)
    rate_date = models.DateField(_("date"))
    rate = models.DecimalField(
        _("rate"),
        max_digits=18,
        decimal_places=8,
        validators=[MinValueValidator(Decimal("0.00000001"))],
    )
    source = models.CharField(_("source"), max_length=100, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("exchange rate")
        verbose_name_plural = _("exchange rates")
        ordering = ["currency", "-rate_date"]
        constraints = [
            models.UniqueConstraint(
                fields=["currency", "rate_date"], name="unique_rate_per_day"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.currency} {self.rate_date}: {self.rate}"


class NumberSequence(models.Model):
    """A gap-free counter, such as sales invoice numbers for one year."""

    name = models.CharField(_("name"), max_length=50)
    period = models.CharField(_("period"), max_length=20, blank=True)
    last_number = models.PositiveBigIntegerField(_("last number"), default=0)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("number sequence")
        verbose_name_plural = _("number sequences")
        constraints = [
            models.UniqueConstraint(
                fields=["name", "period"], name="unique_sequence_period"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} {self.period}: {self.last_number}"


class ApiToken(models.Model):
    """A bearer token for the JSON API; only a SHA-256 digest is stored."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens"
    )
    name = models.CharField(_("name"), max_length=100)
    # The first characters of the token, shown so a user can tell tokens apart.
    prefix = models.CharField(_("prefix"), max_length=12)
    digest = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"
