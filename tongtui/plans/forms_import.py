"""The task-book upload form: a file or pasted text, the lead rule, and whether to create unknown units."""

from pathlib import Path
from typing import Any

from django import forms
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tongtui.plans.importing.limits import limit
from tongtui.plans.importing.readers import EXTENSIONS, UnreadableFile, read_file, read_text
from tongtui.plans.models import TaskImport


class ImportForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("Task book file"),
        required=False,
        help_text=gettext_lazy("An .xlsx, .csv, .docx or .txt file."),
        widget=forms.ClearableFileInput(attrs={"accept": ",".join(EXTENSIONS), "class": "form-control"}),
    )
    text = forms.CharField(
        label=gettext_lazy("Or paste the text of the notice"),
        required=False,
        widget=forms.Textarea(
            attrs={
                "rows": 8,
                "class": "form-control",
                "placeholder": "1.地区生产总值增长6%左右。 牵头单位:区发改局 责任单位:各街道",
            }
        ),
    )
    sheet = forms.CharField(
        label=gettext_lazy("Sheet (optional)"),
        required=False,
        max_length=100,
        widget=forms.TextInput(attrs={"class": "form-control"}),
    )
    lead_rule = forms.ChoiceField(
        label=gettext_lazy("When only 责任单位 is given"),
        choices=TaskImport.LeadRule.choices,
        initial=TaskImport.LeadRule.FIRST,
        widget=forms.RadioSelect,
    )
    create_units = forms.BooleanField(
        label=gettext_lazy("Create the units and unit groups that match no known name"), required=False
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["file"].help_text = _(
            "An .xlsx, .csv, .docx or .txt file of at most %(size)s and %(rows)s rows."
        ) % {"size": filesizeformat(limit("IMPORT_MAX_BYTES")), "rows": f"{limit('IMPORT_MAX_ROWS'):,}"}

    def clean_file(self) -> Any:
        upload = self.cleaned_data.get("file")
        if not upload:
            return upload
        if Path(upload.name).suffix.lower() not in EXTENSIONS:
            raise forms.ValidationError(_("Only .xlsx, .csv, .docx and .txt files can be imported."))
        if upload.size > limit("IMPORT_MAX_BYTES"):
            raise forms.ValidationError(
                _("The file is larger than %(max)s.") % {"max": filesizeformat(limit("IMPORT_MAX_BYTES"))}
            )
        return upload

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        upload, text = data.get("file"), (data.get("text") or "").strip()
        if self.errors:
            return data
        if not upload and not text:
            raise forms.ValidationError(_("Choose a file or paste the text of the notice."))
        try:
            if upload:
                content = upload.read()
                blocks = read_file(upload.name, content, data.get("sheet") or None)
                data["content"], data["filename"], data["text"] = content, Path(upload.name).name, ""
            else:
                blocks = read_text(text)
                data["content"], data["filename"], data["text"] = b"", "", text
        except UnreadableFile as exc:
            self.add_error("file" if upload else "text", str(exc))
            return data
        if not blocks:
            self.add_error("file" if upload else "text", _("Nothing to import was found in it."))
        return data
