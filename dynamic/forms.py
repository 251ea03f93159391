"""Forms of dynamic management: they parse and validate input; services do the writes."""

from django import forms
from django.utils.translation import gettext_lazy as _

from applications.forms import _number_field
from applications.indicators import as_number, dynamic_keys, indicators_for
from quotas.forms import DateInput

from .flags import FLAG_LABELS
from .models import DynamicForm, FormDocumentKind
from .states import ChangeField, Decision, FormKind, FormState, Opinion

YES_NO = [("", "—"), ("false", _("否")), ("true", _("是"))]


def _yes_no(label):
    return forms.TypedChoiceField(
        label=label, choices=YES_NO, required=False, coerce=lambda v: v == "true", empty_value=None
    )


class FormEditForm(forms.Form):
    """The unit's form: identity now, compliance for the year, three years of key indicators and
    the authenticity pledge. Everything optional so a draft can be saved half-filled; submitting
    checks completeness (conditions.py)."""

    address = forms.CharField(label=_("地址"), max_length=200, required=False)
    scope = forms.CharField(label=_("主要产品或经营范围"), max_length=300, required=False)
    park_area = forms.DecimalField(
        label=_("园区面积（平方公里）"),
        max_digits=9,
        decimal_places=2,
        min_value=0,
        required=False,
        error_messages={"invalid": _("请输入数字。"), "min_value": _("不能为负数。")},
    )
    park_boundary = forms.CharField(label=_("园区四至范围"), max_length=300, required=False)
    operating = forms.ChoiceField(
        label=_("生产经营状况"),
        choices=[("", "—"), *DynamicForm._meta.get_field("operating").choices],
        required=False,
    )
    safety_accident = forms.ChoiceField(
        label=_("安全生产或质量事故"),
        choices=[("", "—"), *DynamicForm._meta.get_field("safety_accident").choices],
        required=False,
    )
    env_incident = forms.ChoiceField(
        label=_("突发环境事件"),
        choices=[("", "—"), *DynamicForm._meta.get_field("env_incident").choices],
        required=False,
    )
    tax_evasion = _yes_no(_("存在偷税漏税行为"))
    dishonest = _yes_no(_("列入失信被执行人"))
    rectification_unfinished = _yes_no(_("节能监察整改未完成"))
    inspection_problems = forms.CharField(
        label=_("监督检查发现的问题"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=2000,
    )
    pledge = forms.BooleanField(
        label=_("本单位承诺所填信息和上传材料真实、准确、完整，如有虚假愿承担相应责任。"), required=False
    )

    def __init__(self, *args, form: DynamicForm, **kwargs):
        self.dynamic_form = form
        initial = kwargs.setdefault("initial", {})
        for name in (
            "address",
            "scope",
            "park_area",
            "park_boundary",
            "operating",
            "safety_accident",
            "env_incident",
            "inspection_problems",
        ):
            initial.setdefault(name, getattr(form, name))
        for name in ("tax_evasion", "dishonest", "rectification_unfinished"):
            value = getattr(form, name)
            initial.setdefault(name, "" if value is None else ("true" if value else "false"))
        initial.setdefault("pledge", form.pledged_at is not None)
        super().__init__(*args, **kwargs)
        if form.kind == FormKind.FACTORY:
            del self.fields["park_area"], self.fields["park_boundary"]
        self.keys = dynamic_keys(form.kind, form.batch)
        self.groups = []
        data = form.indicators or {}
        for ind in indicators_for(form.kind, "dynamic"):
            names = []
            for key in self.keys:
                name = f"{ind.code}__{key}"
                label = _("行业标杆值") if key == "benchmark" else _("%(year)s年") % {"year": key}
                self.fields[name] = _number_field(ind, label)
                self.initial[name] = (data.get(ind.code) or {}).get(key)
                names.append(name)
            self.groups.append({"indicator": ind, "fields": [self[n] for n in names]})

    def data_for_service(self) -> dict:
        cd = self.cleaned_data
        out = {
            k: cd[k]
            for k in (
                "address",
                "scope",
                "operating",
                "safety_accident",
                "env_incident",
                "tax_evasion",
                "dishonest",
                "rectification_unfinished",
                "inspection_problems",
                "pledge",
            )
        }
        out["address"], out["scope"] = out["address"].strip(), out["scope"].strip()
        if "park_area" in self.fields:
            out["park_area"], out["park_boundary"] = cd["park_area"], cd["park_boundary"].strip()
        out["indicators"] = {
            ind.code: {key: as_number(cd.get(f"{ind.code}__{key}")) for key in self.keys}
            for ind in indicators_for(self.dynamic_form.kind, "dynamic")
        }
        return out


class ChangeForm(forms.Form):
    field = forms.ChoiceField(label=_("变更事项"), choices=ChangeField.choices)
    new_value = forms.CharField(
        label=_("变更后"), max_length=300, error_messages={"required": _("请填写变更后的内容。")}
    )
    changed_on = forms.DateField(
        label=_("变更日期"),
        widget=DateInput(),
        error_messages={"required": _("请填写变更日期。"), "invalid": _("请输入有效的日期。")},
    )
    evidence = forms.FileField(
        label=_("证明材料（PDF）"), error_messages={"required": _("请上传证明材料（PDF）。")}
    )


class DocumentForm(forms.Form):
    kind = forms.ChoiceField(label=_("材料类型"), choices=FormDocumentKind.choices)
    file = forms.FileField(
        label=_("文件（PDF）"), error_messages={"required": _("请选择要上传的 PDF 文件。")}
    )


class TransitionForm(forms.Form):
    """A reviewer's action: return (reason), pass, the city's opinion (with reasons and its on-site
    evaluation) or the province's decision."""

    name = forms.CharField()
    comment = forms.CharField(required=False, max_length=2000)
    opinion = forms.ChoiceField(choices=[("", "—"), *Opinion.choices], required=False)
    reasons = forms.MultipleChoiceField(choices=list(FLAG_LABELS.items()), required=False)
    evaluation_on = forms.DateField(required=False, error_messages={"invalid": _("请输入有效的日期。")})
    evaluation_findings = forms.CharField(required=False, max_length=2000)
    decision = forms.ChoiceField(choices=[("", "—"), *Decision.choices], required=False)


class FormFilterForm(forms.Form):
    year = forms.IntegerField(label=_("年度"), required=False)
    state = forms.ChoiceField(label=_("状态"), choices=[("", _("全部")), *FormState.choices], required=False)
    kind = forms.ChoiceField(label=_("类别"), choices=[("", _("全部")), *FormKind.choices], required=False)
    city = forms.ChoiceField(label=_("设区市"), required=False)
    opinion = forms.ChoiceField(
        label=_("市级意见"), choices=[("", _("全部")), *Opinion.choices], required=False
    )
    flag = forms.ChoiceField(label=_("提示"), choices=[("", _("全部")), *FLAG_LABELS.items()], required=False)

    def __init__(self, *args, **kwargs):
        from reference.models import City

        super().__init__(*args, **kwargs)
        self.fields["city"].choices = [
            ("", _("全部")),
            *City.objects.order_by("position").values_list("code", "name"),
        ]
