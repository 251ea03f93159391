"""The filters of the province's application list, read from the query string."""

from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.models import AssessorGroup
from applications.states import ApplicationKind, ApplicationState
from reference.models import City, IndustryDivision

STAGE_CHOICES = [
    ("recommended", _("市级已推荐（计入名额）")),
    ("passed", _("通过（省级评估及以后）")),
    ("cap", _("计入第三方机构上限")),
]
ANY = [("", _("全部"))]


class ApplicationFilterForm(forms.Form):
    city = forms.ChoiceField(label=_("设区市"), required=False)
    kind = forms.ChoiceField(label=_("类别"), required=False, choices=ANY + list(ApplicationKind.choices))
    state = forms.ChoiceField(label=_("状态"), required=False, choices=ANY + list(ApplicationState.choices))
    stage = forms.ChoiceField(label=_("阶段"), required=False, choices=ANY + STAGE_CHOICES)
    division = forms.ChoiceField(label=_("行业大类"), required=False)
    assessor_group = forms.TypedChoiceField(
        label=_("第三方机构法人主体"), required=False, coerce=int, empty_value=None
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["city"].choices = ANY + list(
            City.objects.order_by("position").values_list("code", "name")
        )
        self.fields["division"].choices = ANY + [
            (code, f"{code} {name}") for code, name in IndustryDivision.objects.values_list("code", "name")
        ]
        self.fields["assessor_group"].choices = ANY + list(AssessorGroup.objects.values_list("pk", "name"))
        for f in self.fields.values():
            f.error_messages["invalid_choice"] = _("筛选条件“%(value)s”无效。")

    def filters(self) -> dict:
        return {k: v for k, v in self.cleaned_data.items() if v not in (None, "")}
