"""Forms of the self-evaluation: they parse and validate input; services do the writes."""

from django import forms
from django.core.validators import MaxValueValidator, MinValueValidator
from django.utils.translation import gettext_lazy as _

from accounts.models import Assessor
from reference.models import validate_industry_class

from .indicators import as_number, indicators_for, series_years
from .models import DocumentKind
from .states import ApplicationKind


def _number_field(indicator, label):
    validators = [MinValueValidator(0, message=_("不能为负数。"))]
    if indicator.percent:
        validators.append(MaxValueValidator(100, message=_("百分比应在0–100之间。")))
    return forms.DecimalField(
        label=label,
        required=False,
        max_digits=14,
        decimal_places=4,
        validators=validators,
        widget=forms.NumberInput(attrs={"step": "any", "inputmode": "decimal"}),
        error_messages={
            "invalid": _("请输入数字。"),
            "max_digits": _("数字位数过多。"),
            "max_decimal_places": _("最多保留4位小数。"),
        },
    )


class IndicatorsForm(forms.Form):
    """The key indicators (applications/indicators.py), all optional so drafts can be saved
    half-filled; numbers are checked as numbers (non-negative, shares 0–100)."""

    industry_class = forms.CharField(
        label=_("行业代码（GB/T 4754-2017 小类）"),
        max_length=4,
        required=False,
        validators=[validate_industry_class],
        help_text=_("4位数字，如 3311（制造业大类 13–43）。"),
    )

    def __init__(self, *args, application, **kwargs):
        self.application = application
        self.kind = application.kind
        self.years = series_years(application.batch)
        initial = kwargs.setdefault("initial", {})
        data = application.indicators or {}
        if self.kind == ApplicationKind.FACTORY:
            initial.setdefault("industry_class", application.industry_class)
        super().__init__(*args, **kwargs)
        if self.kind != ApplicationKind.FACTORY:
            del self.fields["industry_class"]
        self.groups = []
        for ind in indicators_for(self.kind):
            entry = data.get(ind.code) or {}
            names = []
            if self.kind == ApplicationKind.FACTORY:
                self.fields[f"{ind.code}__value"] = _number_field(ind, _("本单位数值"))
                self.fields[f"{ind.code}__benchmark"] = _number_field(ind, _("行业对标值"))
                self.initial[f"{ind.code}__value"] = entry.get("value")
                self.initial[f"{ind.code}__benchmark"] = entry.get("benchmark")
                names += [f"{ind.code}__value", f"{ind.code}__benchmark"]
                if ind.unit_editable:
                    self.fields[f"{ind.code}__unit"] = forms.CharField(
                        label=_("计量单位"), max_length=20, required=False
                    )
                    self.initial[f"{ind.code}__unit"] = entry.get("unit") or ind.unit
                    names.append(f"{ind.code}__unit")
            else:
                for year in self.years:
                    name = f"{ind.code}__{year}"
                    self.fields[name] = _number_field(ind, _("%(year)s年") % {"year": year})
                    self.initial[name] = entry.get(year)
                    names.append(name)
            self.groups.append({"indicator": ind, "fields": [self[n] for n in names]})

    def indicators(self) -> dict:
        """The cleaned values in the stored shape (see applications/indicators.py)."""
        cd = self.cleaned_data
        out = {}
        for ind in indicators_for(self.kind):
            if self.kind == ApplicationKind.FACTORY:
                entry = {
                    "value": as_number(cd.get(f"{ind.code}__value")),
                    "benchmark": as_number(cd.get(f"{ind.code}__benchmark")),
                    "unit": (cd.get(f"{ind.code}__unit") or "").strip() or str(ind.unit),
                }
            else:
                entry = {year: as_number(cd.get(f"{ind.code}__{year}")) for year in self.years}
            out[ind.code] = entry
        return out


class AssessorChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return obj.organisation.name


class AssessorForm(forms.Form):
    assessor = AssessorChoiceField(
        label=_("第三方评价机构"),
        queryset=Assessor.objects.select_related("organisation").order_by("organisation__name"),
        required=False,
        empty_label=_("不委托（由本单位自行评价）"),
        error_messages={"invalid_choice": _("请选择列表中的评价机构。")},
    )
    assessor_may_upload = forms.BooleanField(label=_("允许该评价机构代本单位上传材料"), required=False)

    def __init__(self, *args, batch, **kwargs):
        super().__init__(*args, **kwargs)
        self.batch = batch
        if batch.assessor_required:
            self.fields["assessor"].required = True
            self.fields["assessor"].error_messages["required"] = _(
                "本批次须委托第三方评价机构开展自评价，请选择评价机构。"
            )


class DocumentUploadForm(forms.Form):
    kind = forms.ChoiceField(label=_("材料类型"), choices=DocumentKind.choices)
    file = forms.FileField(
        label=_("文件（PDF）"),
        error_messages={"required": _("请选择要上传的 PDF 文件。"), "empty": _("上传的文件是空的。")},
        widget=forms.ClearableFileInput(attrs={"accept": "application/pdf,.pdf"}),
    )

    def __init__(self, *args, refused=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.refused = refused or {}

    def clean(self):
        cleaned = super().clean()
        for field, reason in self.refused.items():
            if field in self.fields:
                self.errors.pop(field, None)
                self.add_error(field, reason)
        return cleaned
