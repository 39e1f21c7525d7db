"""The look of the company's own invoices: logo, colour, contact details."""

from django.core.validators import FileExtensionValidator, RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

DEFAULT_ACCENT_COLOUR = "#1f4e79"
LOGO_EXTENSIONS = ("png", "jpg", "jpeg")


def logo_path(branding: "InvoiceBranding", filename: str) -> str:
    return f"receivables/branding/{filename}"


class InvoiceBranding(models.Model):
    """Logo, accent colour and the contact lines printed on sales invoices.

    The company's name, address, identifiers and bank account come from the
    company record; this adds what only the printed invoice needs. Without a
    stored row, invoices print the company name in the default colour.
    """

    logo = models.FileField(
        _("logo"),
        upload_to=logo_path,
        blank=True,
        validators=[FileExtensionValidator(LOGO_EXTENSIONS)],
        help_text=_("A PNG or JPEG image, printed at most 20 mm high."),
    )
    accent_colour = models.CharField(
        _("accent colour"),
        max_length=7,
        default=DEFAULT_ACCENT_COLOUR,
        validators=[
            RegexValidator(
                r"^#[0-9a-fA-F]{6}$",
                _("Enter a colour as # and six hexadecimal digits, as #1f4e79."),
            )
        ],
    )
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    website = models.CharField(_("website"), max_length=200, blank=True)
    footer_text = models.CharField(
        _("footer text"),
        max_length=300,
        blank=True,
        help_text=_("Printed at the foot of every page, such as your conditions."),
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("invoice layout")
        verbose_name_plural = _("invoice layout")

    def __str__(self) -> str:
        return str(_("Invoice layout"))

    @classmethod
    def current(cls) -> "InvoiceBranding":
        """Return the stored branding, or an unsaved one with the defaults."""
        return cls.objects.order_by("pk").first() or cls()
