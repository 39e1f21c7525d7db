"""The upload form: several files in one field, from a picker or a drop."""

from django import forms
from django.core.files.uploadedfile import UploadedFile
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

from fiat.documents.intake import max_document_bytes

ACCEPTED_TYPES = (
    ".pdf,.xml,.eml,.png,.jpg,.jpeg,.tif,.tiff,.heic,.webp,"
    "application/pdf,application/xml,text/xml,message/rfc822,image/*"
)


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """A file field that takes a list of files, empty files included.

    An empty file is taken in and put in quarantine with its reason, as it
    would be when mailed, so the clerk sees what arrived.
    """

    def __init__(self, **kwargs) -> None:
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": ACCEPTED_TYPES}))
        super().__init__(allow_empty_file=True, **kwargs)

    def clean(self, data, initial=None) -> list[UploadedFile]:
        files = data if isinstance(data, list | tuple) else [data]
        files = [file for file in files if file]
        if not files:
            raise forms.ValidationError(self.error_messages["required"], "required")
        return [super(MultipleFileField, self).clean(file, initial) for file in files]


class UploadForm(forms.Form):
    files = MultipleFileField(
        label=_("Files"),
        help_text=_("PDF, images (PNG, JPEG, TIFF), UBL or CII XML, or saved mail."),
    )

    def clean_files(self) -> list[UploadedFile]:
        files = self.cleaned_data["files"]
        limit = max_document_bytes()
        too_large = [file.name for file in files if file.size > limit]
        if too_large:
            raise forms.ValidationError(
                _("These files are larger than %(limit)s: %(names)s.")
                % {"limit": filesizeformat(limit), "names": ", ".join(too_large)},
                code="too_large",
            )
        return files
