"""Input of the reviewers' pages: parsed and validated here, acted on by services."""

from django import forms
from django.utils.translation import gettext_lazy as _

from accounts import roles
from accounts.models import Assessor
from applications.states import ApplicationKind
from applications.states import ApplicationState as S
from core.widgets import QuickSelect
from core.wording import labelled
from reference.models import County, IndustryDivision

from .models import SubmissionDocumentKind
from .selectors import SORTS, TABS

SORT_CHOICES = [
    ("", _("默认顺序")),
    ("-days", _("在队列天数（多→少）")),
    ("days", _("在队列天数（少→多）")),
    ("unit", _("单位名称")),
    ("county", _("县（市、区）")),
    ("industry", _("行业")),
    ("assessor", _("第三方评价机构")),
    ("submitted", _("提交时间（早→晚）")),
    ("-submitted", _("提交时间（晚→早）")),
    ("state", _("状态")),
]


class QueueFilterForm(forms.Form):
    """Filters of the queue. Choices are limited to the bureau's own region, so a filter value
    can never widen what the visibility gate lets through."""

    tab = forms.ChoiceField(choices=[(t, t) for t in TABS], required=False)
    q = forms.CharField(label=_("名称或统一社会信用代码"), required=False, max_length=100)
    state = forms.ChoiceField(widget=QuickSelect, label=_("状态"), required=False)
    county = forms.ChoiceField(widget=QuickSelect, label=_("县（市、区）"), required=False)
    kind = forms.ChoiceField(
        widget=QuickSelect,
        label=_("类别"),
        required=False,
        choices=[("", _("全部")), *ApplicationKind.choices],
    )
    industry = forms.ChoiceField(widget=QuickSelect, label=_("行业"), required=False)
    assessor = forms.ChoiceField(widget=QuickSelect, label=_("第三方评价机构"), required=False)
    sort = forms.ChoiceField(widget=QuickSelect, label=_("排序"), required=False, choices=SORT_CHOICES)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        org = user.organisation
        county_bureau = roles.is_county_bureau(user)
        states = (
            (S.COUNTY_REVIEW, S.CITY_REVIEW, S.RETURNED, S.REJECTED)
            if county_bureau
            else (S.CITY_REVIEW, S.RECOMMENDED, S.PROVINCE_REVIEW, S.RETURNED, S.REJECTED)
        )
        self.fields["state"].choices = [("", _("全部"))] + [(s.value, s.label) for s in states]
        counties = County.objects.filter(city_id=org.city_id) if org.city_id else County.objects.none()
        if county_bureau:
            counties = counties.filter(pk=org.county_id)
        self.fields["county"].choices = [("", _("全部"))] + [(c.code, c.name) for c in counties]
        # The divisions' names also name the queue's industry column (one query for both).
        self.industry_names = dict(IndustryDivision.objects.values_list("code", "name"))
        self.fields["industry"].choices = [("", _("全部"))] + [
            (code, f"{code} {name}") for code, name in self.industry_names.items()
        ]
        self.fields["assessor"].choices = [("", _("全部"))] + [
            (str(a.pk), a.organisation.name)
            for a in Assessor.objects.select_related("organisation").order_by("organisation__name")
        ]

    def described(self, filters) -> list[str]:
        """The filters in force, as "label：value" (core.wording) the way the page's selects show them."""
        described = []
        for key in ("q", "state", "county", "kind", "industry", "assessor"):
            value = filters.get(key)
            if value:
                field = self.fields[key]
                described.append(labelled(field.label, dict(getattr(field, "choices", ())).get(value, value)))
        return described

    def filters(self) -> dict:
        """The valid filters (invalid ones are dropped, the page still answers)."""
        data = self.cleaned_data if self.is_valid() else {}
        keys = ("tab", "q", "state", "county", "kind", "industry", "assessor", "sort")
        values = {k: (data.get(k) or "") for k in keys}
        values["tab"] = values["tab"] or "pending"
        values["q"] = values["q"].strip()
        if values["sort"].lstrip("-") not in SORTS:
            values["sort"] = ""
        return values


class DecisionForm(forms.Form):
    """The reviewer's decision panel: one decision among the transitions the reviewer holds, one
    comment whose requirement follows the decision (a reason for 退回修改, 不予通过, 退回设区市)."""

    # Any name is accepted here: one the reviewer does not hold is refused by the service with the
    # state machine's own reason (or "someone else acted first" when the page was stale).
    name = forms.CharField(
        label=_("审核决定"), max_length=40, error_messages={"required": _("请选择审核决定。")}
    )
    comment = forms.CharField(
        required=False, max_length=2000, error_messages={"max_length": _("意见不能超过2000个字。")}
    )
    seen_state = forms.CharField(required=False, max_length=20)

    def __init__(self, *args, options, **kwargs):
        super().__init__(*args, **kwargs)
        self.options = {o.name: o for o in options}

    @property
    def chosen(self):
        return self.options.get(self.data.get("name")) if self.is_bound else None

    def comment_label(self) -> str:
        return comment_label(self.chosen)

    def clean(self):
        data = super().clean()
        option = self.options.get(data.get("name"))
        if option is not None and option.reason_required and not (data.get("comment") or "").strip():
            message = _("请填写%(decision)s的原因，申报单位将看到这段文字。")
            self.add_error("comment", message % {"decision": option.label})
        return data


def comment_label(option) -> str:
    """The comment field's label for a decision (None: no decision chosen yet)."""
    if option is None:
        return _("意见或原因（退回修改、不予通过时必填）")
    if option.reason_required:
        return _("%(decision)s的原因（必填）") % {"decision": option.label}
    return _("意见（可选）")


class BulkForm(forms.Form):
    name = forms.ChoiceField(
        choices=[
            ("county_pass", _("县级审核通过")),
            ("city_recommend", _("市级审核通过并推荐")),
            ("return_for_revision", _("退回修改")),
        ],
        error_messages={"required": _("请选择批量操作。"), "invalid_choice": _("请选择批量操作。")},
    )
    comment = forms.CharField(required=False, max_length=2000)
    ids = forms.TypedMultipleChoiceField(coerce=int, error_messages={"required": _("请先勾选申报。")})

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Any integer is accepted here; the service looks each one up through the visibility gate.
        raw = self.data.getlist("ids") if hasattr(self.data, "getlist") else []
        self.fields["ids"].choices = [(v, v) for v in raw if str(v).isdigit()]


class DocumentNumberForm(forms.Form):
    document_number = forms.CharField(label=_("推荐函文号"), required=False, max_length=60)
    contact_name = forms.CharField(label=_("联系人"), required=False, max_length=60)
    contact_phone = forms.CharField(label=_("联系电话"), required=False, max_length=40)


class SubmissionUploadForm(forms.Form):
    kind = forms.ChoiceField(label=_("材料类型"), choices=SubmissionDocumentKind.choices)
    file = forms.FileField(label=_("PDF 文件"), error_messages={"required": _("请选择要上传的 PDF 文件。")})
