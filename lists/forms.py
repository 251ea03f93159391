"""Forms of the lists' pages: uploads, their confirmation, one entry added or ended, filters."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import ParkType
from accounts.uscc import validate_uscc
from reference.models import City, County, validate_industry_class

from .models import EntryStatus, Tier, UnitKind
from .xlsx import MAX_BYTES

XLSX_ACCEPT = ".xlsx,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _year_field(label):
    return forms.IntegerField(
        label=label,
        min_value=2000,
        max_value=2100,
        error_messages={
            "required": _("请填写年度。"),
            "invalid": _("年度应为4位数字。"),
            "min_value": _("年度不能早于2000年。"),
            "max_value": _("年度不正确。"),
        },
    )


class ListFileForm(forms.Form):
    file = forms.FileField(
        label=_("名单文件（.xlsx）"),
        error_messages={"required": _("请选择要上传的 .xlsx 文件。"), "empty": _("上传的文件是空的。")},
        widget=forms.ClearableFileInput(attrs={"accept": XLSX_ACCEPT}),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if not upload.name.lower().endswith(".xlsx"):
            raise forms.ValidationError(_("请上传 .xlsx 格式的文件（可在 WPS 或 Excel 中另存为 .xlsx）。"))
        if upload.size > MAX_BYTES:
            raise forms.ValidationError(_("文件不能超过5MB，请拆分后上传。"))
        return upload


class CityListUploadForm(ListFileForm):
    year = _year_field(_("名单年度"))
    field_order = ["year", "file"]


class NationalListUploadForm(ListFileForm):
    kind = forms.ChoiceField(
        label=_("名单类别"),
        choices=UnitKind.choices,
        error_messages={"required": _("请选择名单类别。"), "invalid_choice": _("请选择工厂或园区。")},
    )
    year = _year_field(_("导入年度"))
    field_order = ["kind", "year", "file"]


class ConfirmForm(forms.Form):
    """The preview's confirmation: which pending upload, and the counts the bureau saw."""

    token = forms.CharField(widget=forms.HiddenInput, max_length=64)
    added = forms.IntegerField(widget=forms.HiddenInput, min_value=0)
    ended = forms.IntegerField(widget=forms.HiddenInput, min_value=0)
    unchanged = forms.IntegerField(widget=forms.HiddenInput, min_value=0)

    def expected(self) -> dict:
        return {k: self.cleaned_data[k] for k in ("added", "ended", "unchanged")}


class EntryAddForm(forms.Form):
    unit_name = forms.CharField(
        label=_("单位名称"), max_length=100, error_messages={"required": _("请填写单位名称。")}
    )
    kind = forms.ChoiceField(label=_("类型"), choices=UnitKind.choices)
    credit_code = forms.CharField(
        label=_("统一社会信用代码"),
        max_length=18,
        required=False,
        help_text=_("工厂必填；18位，按 GB 32100 校验。"),
    )
    county = forms.ModelChoiceField(
        label=_("县（市、区）"),
        queryset=County.objects.none(),
        required=False,
        error_messages={"invalid_choice": _("请选择本市的县（市、区）。")},
    )
    industry_class = forms.CharField(
        label=_("行业代码（工厂）"),
        max_length=4,
        required=False,
        help_text=_("GB/T 4754-2017 小类，如 3311。"),
    )
    park_type = forms.ChoiceField(
        label=_("园区类型（园区）"), choices=[("", "—"), *ParkType.choices], required=False
    )
    year = _year_field(_("列入年份"))

    def __init__(self, *args, city: City, **kwargs):
        kwargs.setdefault("auto_id", "add_%s")
        super().__init__(*args, **kwargs)
        self.fields["county"].queryset = County.objects.filter(city=city).order_by("code")
        self.fields["year"].initial = timezone.localdate().year

    def clean_credit_code(self):
        code = (self.cleaned_data.get("credit_code") or "").strip().upper()
        if code:
            validate_uscc(code)
        return code

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("kind") == UnitKind.FACTORY:
            if not cleaned.get("credit_code") and "credit_code" not in self.errors:
                self.add_error("credit_code", _("工厂须填写统一社会信用代码。"))
            if not cleaned.get("county"):
                self.add_error("county", _("请选择工厂所在县（市、区）。"))
            industry = (cleaned.get("industry_class") or "").strip()
            if not industry:
                self.add_error("industry_class", _("请填写行业代码。"))
            else:
                try:
                    validate_industry_class(industry)
                except forms.ValidationError as exc:
                    self.add_error("industry_class", exc)
        elif cleaned.get("kind") == UnitKind.PARK and not cleaned.get("park_type"):
            self.add_error("park_type", _("请选择园区类型。"))
        year = cleaned.get("year")
        if year and year > timezone.localdate().year:
            self.add_error("year", _("列入年份不能晚于今年。"))
        return cleaned


class EntryEndForm(forms.Form):
    reason = forms.CharField(
        label=_("移出原因"), max_length=200, error_messages={"required": _("请填写移出原因。")}
    )


class EntryFilterForm(forms.Form):
    """The list pages' filters (GET). Choices outside a user's region simply find nothing."""

    tier = forms.ChoiceField(label=_("名单级别"), choices=[("", _("全部")), *Tier.choices], required=False)
    kind = forms.ChoiceField(label=_("类型"), choices=[("", _("全部")), *UnitKind.choices], required=False)
    city = forms.ModelChoiceField(
        label=_("设区市"),
        queryset=City.objects.order_by("position"),
        required=False,
        empty_label=_("全部"),
        to_field_name="code",
    )
    county = forms.ModelChoiceField(
        label=_("县（市、区）"),
        queryset=County.objects.none(),
        required=False,
        empty_label=_("全部"),
        to_field_name="code",
    )
    year = forms.IntegerField(label=_("列入年份"), required=False, min_value=2000, max_value=2100)
    status = forms.ChoiceField(
        label=_("状态"),
        choices=[("", _("全部")), *EntryStatus.choices],
        required=False,
        initial=EntryStatus.ACTIVE,
    )
    q = forms.CharField(label=_("名称或信用代码"), required=False, max_length=100)

    def __init__(self, *args, counties, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["county"].queryset = counties

    def params(self) -> dict:
        """The valid filters as plain values (an invalid one is dropped, never a 500)."""
        if not self.is_bound:
            return {"status": EntryStatus.ACTIVE}
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        out = {}
        for name in ("tier", "kind", "status", "q"):
            if data.get(name):
                out[name] = data[name]
        if "status" not in self.data:  # the current lists unless asked otherwise
            out["status"] = EntryStatus.ACTIVE
        if data.get("city"):
            out["city"] = data["city"].code
        if data.get("county"):
            out["county"] = data["county"].code
        if data.get("year"):
            out["year"] = data["year"]
        return out
