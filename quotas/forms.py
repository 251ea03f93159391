"""Forms of the batch settings page: they parse input only; the services decide and write."""

from django import forms
from django.utils.translation import gettext_lazy as _

from reference.models import City

from .calendar import dates_parse, dates_text
from .contacts import contacts_parse, contacts_text
from .models import Batch, PublicityDayKind

QUOTA_ERRORS = {
    "required": _("请填写推荐名额。"),
    "invalid": _("推荐名额须为整数。"),
    "min_value": _("推荐名额不能为负数。"),
}
MAX_IMPORT_BYTES = 2 * 1024 * 1024


def _label(name):
    return Batch._meta.get_field(name).verbose_name


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class CityQuotasForm(forms.Form):
    """Annex 1 as a form: one whole-number field per city, named by its code, in the notice's
    order."""

    reason = forms.CharField(label=_("调整原因"), required=False, max_length=500)

    def __init__(self, *args, cities, **kwargs):
        kwargs.setdefault("auto_id", "id_%s")
        super().__init__(*args, **kwargs)
        self.cities = list(cities)
        for city in self.cities:
            self.fields[city.code] = forms.IntegerField(
                label=city.name,
                min_value=0,
                max_value=9999,
                error_messages=QUOTA_ERRORS,
                widget=forms.NumberInput(attrs={"class": "quota-input", "min": 0}),
            )

    def quotas(self) -> dict[str, int]:
        return {c.code: self.cleaned_data[c.code] for c in self.cities}


class BatchSettingsForm(forms.Form):
    accepting_applications = forms.BooleanField(label=_label("accepting_applications"), required=False)
    park_quota = forms.IntegerField(
        label=_label("park_quota"),
        required=False,
        min_value=0,
        help_text=_("留空表示不设园区名额。"),
        error_messages={"invalid": _("园区推荐名额须为整数。"), "min_value": _("园区推荐名额不能为负数。")},
    )
    assessor_required = forms.BooleanField(label=_label("assessor_required"), required=False)
    assessor_cap = forms.IntegerField(
        label=_label("assessor_cap"),
        min_value=1,
        error_messages={"required": _("请填写评价项目上限。"), "min_value": _("上限至少为1项。")},
    )
    city_submission_deadline = forms.DateField(
        label=_label("city_submission_deadline"),
        widget=DateInput(),
        error_messages={"required": _("请填写截止日期。"), "invalid": _("请输入有效的日期。")},
    )
    city_list_deadline = forms.DateField(
        label=_label("city_list_deadline"),
        widget=DateInput(),
        error_messages={"required": _("请填写截止日期。"), "invalid": _("请输入有效的日期。")},
    )
    publicity_days = forms.IntegerField(
        label=_label("publicity_days"),
        min_value=1,
        max_value=365,
        error_messages={"required": _("请填写公示期天数。"), "min_value": _("公示期至少为1天。")},
    )
    publicity_day_kind = forms.ChoiceField(
        label=_label("publicity_day_kind"),
        choices=PublicityDayKind.choices,
        error_messages={
            "required": _("请选择公示期计算方式。"),
            "invalid_choice": _("请选择公示期计算方式。"),
        },
    )
    removal_bar_years = forms.IntegerField(
        label=_label("removal_bar_years"),
        min_value=0,
        max_value=20,
        help_text=_("动态管理中被撤销的单位，此后若干年内不得再次申报。"),
        error_messages={"required": _("请填写年限。"), "min_value": _("不能为负数。")},
    )
    holidays = forms.CharField(
        label=_label("holidays"),
        required=False,
        help_text=Batch._meta.get_field("holidays").help_text,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    adjusted_workdays = forms.CharField(
        label=_label("adjusted_workdays"),
        required=False,
        help_text=Batch._meta.get_field("adjusted_workdays").help_text,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    objection_contact = forms.CharField(
        label=_label("objection_contact"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    contacts = forms.CharField(
        label=_label("contacts"),
        required=False,
        help_text=Batch._meta.get_field("contacts").help_text,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    joint_departments = forms.CharField(
        label=_label("joint_departments"),
        help_text=_("每行一个部门，按发文顺序。"),
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("请至少填写一个联合发文部门。")},
    )
    copy_to = forms.CharField(
        label=_label("copy_to"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    printed_by = forms.CharField(label=_label("printed_by"), required=False, max_length=100)
    reason = forms.CharField(label=_("修改原因"), required=False, max_length=500)

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", "settings_%s")  # one page holds several forms: unique ids
        super().__init__(*args, **kwargs)

    @classmethod
    def for_batch(cls, batch):
        initial = {name: getattr(batch, name) for name in cls.base_fields if name != "reason"}
        initial["joint_departments"] = "\n".join(batch.joint_departments)
        initial["contacts"] = contacts_text(batch.contacts)
        initial["holidays"] = dates_text(batch.holidays)
        initial["adjusted_workdays"] = dates_text(batch.adjusted_workdays)
        return cls(initial=initial)

    def _lines(self, name, parse):
        """A field typed as lines, read by `parse`; its ValueError is the message beside the field."""
        try:
            return parse(self.cleaned_data[name])
        except ValueError as exc:
            raise forms.ValidationError(str(exc)) from None

    def clean_contacts(self):
        return self._lines("contacts", contacts_parse)

    def clean_holidays(self):
        return self._lines("holidays", dates_parse)

    def clean_adjusted_workdays(self):
        return self._lines("adjusted_workdays", dates_parse)

    def clean_joint_departments(self):
        return [line.strip() for line in self.cleaned_data["joint_departments"].splitlines() if line.strip()]

    def changes(self) -> dict:
        return {k: v for k, v in self.cleaned_data.items() if k != "reason"}


class DeadlineExtensionForm(forms.Form):
    city = forms.ModelChoiceField(
        label=_("设区市"),
        queryset=City.objects.order_by("position"),
        empty_label=_("请选择"),
        error_messages={"required": _("请选择设区市。"), "invalid_choice": _("请选择设区市。")},
    )
    deadline = forms.DateField(
        label=_("延长至"),
        widget=DateInput(),
        error_messages={"required": _("请填写延长后的截止日期。"), "invalid": _("请输入有效的日期。")},
    )
    reason = forms.CharField(
        label=_("原因"),
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=500,
        error_messages={"required": _("请填写延期原因。")},
    )

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", "extension_%s")  # one page holds several forms: unique ids
        super().__init__(*args, **kwargs)


class ExtensionRemoveForm(forms.Form):
    reason = forms.CharField(
        label=_("撤销原因"), max_length=500, error_messages={"required": _("请填写撤销原因。")}
    )


class QuotaImportForm(forms.Form):
    file = forms.FileField(
        label=_("名额表（.xlsx，附件1格式）"),
        error_messages={"required": _("请选择要导入的 .xlsx 文件。"), "empty": _("上传的文件是空的。")},
        widget=forms.ClearableFileInput(
            attrs={"accept": ".xlsx,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}
        ),
    )
    reason = forms.CharField(label=_("导入原因"), required=False, max_length=500)

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", "import_%s")  # one page holds several forms: unique ids
        super().__init__(*args, **kwargs)

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if not upload.name.lower().endswith(".xlsx"):
            raise forms.ValidationError(_("请上传 .xlsx 格式的文件。"))
        if upload.size > MAX_IMPORT_BYTES:
            raise forms.ValidationError(_("文件不能超过2MB。"))
        return upload


class BatchOpenForm(forms.Form):
    """Next year's batch: what differs from the last one."""

    year = forms.IntegerField(
        label=_("年度"), min_value=2000, max_value=2100, error_messages={"required": _("请填写年度。")}
    )
    title = forms.CharField(label=_("标题"), max_length=200, error_messages={"required": _("请填写标题。")})
    notice_number = forms.CharField(
        label=_("通知文号"), max_length=60, error_messages={"required": _("请填写通知文号。")}
    )
    notice_date = forms.DateField(
        label=_("发文日期"),
        widget=DateInput(),
        required=False,
        error_messages={"invalid": _("请输入有效的日期。")},
    )
    city_submission_deadline = forms.DateField(
        label=_("设区市报送截止日期"),
        widget=DateInput(),
        error_messages={"required": _("请填写截止日期。"), "invalid": _("请输入有效的日期。")},
    )
    city_list_deadline = forms.DateField(
        label=_("市级名单报送截止日期"),
        widget=DateInput(),
        error_messages={"required": _("请填写截止日期。"), "invalid": _("请输入有效的日期。")},
    )
    publicity_days = forms.IntegerField(
        label=_("公示期（天）"),
        min_value=1,
        max_value=365,
        error_messages={"required": _("请填写公示期天数。"), "min_value": _("公示期至少为1天。")},
    )

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", "open_%s")
        super().__init__(*args, **kwargs)

    @classmethod
    def following(cls, batch):
        """Prefilled from `batch`, one year on."""

        def next_year(d):
            if d is None:
                return None
            try:
                return d.replace(year=d.year + 1)
            except ValueError:  # 29 February
                return d.replace(year=d.year + 1, day=28)

        return cls(
            initial={
                "year": batch.year + 1,
                "title": batch.title.replace(str(batch.year), str(batch.year + 1)),
                "notice_number": "",
                "city_submission_deadline": next_year(batch.city_submission_deadline),
                "city_list_deadline": next_year(batch.city_list_deadline),
                "publicity_days": batch.publicity_days,
            }
        )
