"""Registration forms for the three kinds of unit that register themselves, and the verifier's
decision. Every mistake is a Chinese message beside its field."""

from django import forms
from django.core.validators import RegexValidator
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from accounts import roles
from accounts.forms import CountyChoiceField
from accounts.models import Assessor, Enterprise, ParkLevel, ParkType
from accounts.uscc import validate_uscc
from reference.models import City, County, validate_industry_class

MOBILE = RegexValidator(r"^1[3-9]\d{9}$", _("请输入11位手机号码。"))
REQUIRED = _("此项为必填项。")


def _required(field):
    field.error_messages["required"] = REQUIRED
    return field


class RegistrationForm(forms.Form):
    """The fields every registration has: contacts, the first user, one PDF."""

    document_label = _("证明材料（PDF）")
    sections: list = []

    contact_name = forms.CharField(label=_("联系人"), max_length=50)
    contact_phone = forms.CharField(label=_("联系电话"), max_length=30)
    full_name = forms.CharField(
        label=_("姓名"), max_length=50, help_text=_("首个账号的使用人，即本单位管理员。")
    )
    mobile = forms.CharField(label=_("手机号码"), max_length=11, validators=[MOBILE])
    email = forms.EmailField(
        label=_("电子邮箱"),
        help_text=_("作为登录名；核验通过前即可设置密码、完善单位信息。"),
        error_messages={"invalid": _("请输入有效的电子邮箱地址。")},
    )
    document = forms.FileField(label=_("证明材料（PDF）"), help_text=_("PDF 格式，清晰完整。"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["document"].label = self.document_label
        for field in self.fields.values():
            if field.required:
                _required(field)

    def clean_email(self):
        return self.cleaned_data["email"].strip().lower()

    def fieldsets(self):
        return [(title, [self[name] for name in names]) for title, names in self.sections]


def _credit_code_taken(code: str, model) -> str:
    existing = model.objects.filter(credit_code=code).select_related("organisation").first()
    if existing is None:
        return ""
    return format_html(
        '{} <a href="{}?code={}">{}</a>',
        _("该统一社会信用代码已由“%(name)s”注册，同一单位不能重复注册。")
        % {"name": existing.organisation.name},
        reverse("registration-join"),
        code,
        _("申请加入该单位（通知其管理员）"),
    )


class CreditCodeMixin:
    credit_model = Enterprise

    def clean_credit_code(self):
        code = (self.cleaned_data.get("credit_code") or "").strip().upper()
        validate_uscc(code)
        taken = _credit_code_taken(code, self.credit_model)
        if taken:
            raise forms.ValidationError(taken, code="taken")
        return code


class EnterpriseRegistrationForm(CreditCodeMixin, RegistrationForm):
    document_label = _("营业执照（PDF）")
    name = forms.CharField(label=_("企业名称"), max_length=100, help_text=_("与营业执照一致。"))
    credit_code = forms.CharField(label=_("统一社会信用代码"), max_length=18, help_text=_("18位，字母大写。"))
    county = CountyChoiceField(
        label=_("所在县（市、区）"),
        queryset=County.objects.select_related("city").order_by("city__position", "code"),
        help_text=_("由所在县（市、区）经信局核验。"),
        error_messages={"invalid_choice": _("请选择浙江省的县（市、区）。")},
    )
    industry_class = forms.CharField(
        label=_("行业代码（GB/T 4754-2017 小类）"),
        max_length=4,
        validators=[validate_industry_class],
        help_text=_("4位数字，如 3311。"),
    )
    field_order = ["name", "credit_code", "county", "industry_class"]
    sections = [
        (_("企业"), ["name", "credit_code", "county", "industry_class", "document"]),
        (_("联系人"), ["contact_name", "contact_phone"]),
        (_("首个账号（单位管理员）"), ["full_name", "mobile", "email"]),
    ]


class ParkRegistrationForm(RegistrationForm):
    document_label = _("园区设立批复文件（PDF）")
    name = forms.CharField(label=_("园区名称"), max_length=100)
    management_body = forms.CharField(label=_("管理机构名称"), max_length=100)
    city = forms.ModelChoiceField(
        label=_("所在设区市"),
        queryset=City.objects.order_by("position"),
        help_text=_("由所在设区市经信局核验。"),
        error_messages={"invalid_choice": _("请选择浙江省的设区市。")},
    )
    park_type = forms.ChoiceField(label=_("园区类型"), choices=ParkType.choices)
    level = forms.ChoiceField(label=_("园区级别"), choices=ParkLevel.choices)
    sections = [
        (_("园区"), ["name", "management_body", "city", "park_type", "level", "document"]),
        (_("联系人"), ["contact_name", "contact_phone"]),
        (_("首个账号（单位管理员）"), ["full_name", "mobile", "email"]),
    ]


class AssessorRegistrationForm(CreditCodeMixin, RegistrationForm):
    credit_model = Assessor
    document_label = _("法人主体及关联单位证明材料（PDF）")
    name = forms.CharField(label=_("机构名称"), max_length=100)
    credit_code = forms.CharField(label=_("统一社会信用代码"), max_length=18, help_text=_("18位，字母大写。"))
    group_name = forms.CharField(
        label=_("法人主体名称"),
        max_length=100,
        help_text=_("本机构所属的法人主体；同一法人及其关联单位本批次评价项目合计不得超过上限。"),
    )
    group_credit_code = forms.CharField(label=_("法人主体统一社会信用代码"), max_length=18)
    affiliates = forms.CharField(
        label=_("关联单位"),
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
        help_text=_("与本机构同属一个法人主体或相互关联的企事业单位，每行一个。"),
    )
    sections = [
        (_("机构"), ["name", "credit_code", "document"]),
        (_("法人主体及关联单位（通知 二(一)）"), ["group_name", "group_credit_code", "affiliates"]),
        (_("联系人"), ["contact_name", "contact_phone"]),
        (_("首个账号（单位管理员）"), ["full_name", "mobile", "email"]),
    ]

    def clean_group_credit_code(self):
        code = (self.cleaned_data.get("group_credit_code") or "").strip().upper()
        validate_uscc(code)
        return code


FORMS = {
    "enterprise": EnterpriseRegistrationForm,
    "park": ParkRegistrationForm,
    "assessor": AssessorRegistrationForm,
}


class JoinRequestForm(forms.Form):
    code = forms.CharField(label=_("单位统一社会信用代码"), max_length=18)
    full_name = _required(forms.CharField(label=_("您的姓名"), max_length=50))
    email = forms.EmailField(
        label=_("您的电子邮箱"), error_messages={"invalid": _("请输入有效的电子邮箱地址。")}
    )
    mobile = forms.CharField(label=_("手机号码"), max_length=11, validators=[MOBILE])
    message = forms.CharField(
        label=_("留言"), widget=forms.Textarea(attrs={"rows": 3}), required=False, max_length=500
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            if field.required:
                _required(field)


class DecisionForm(forms.Form):
    comment = forms.CharField(
        label=_("核验意见"),
        help_text=_("不予通过或不同意时必填，单位将看到这段文字。"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        max_length=1000,
    )


class IdentityChangeForm(forms.Form):
    name = forms.CharField(label=_("新名称"), max_length=100)
    credit_code = forms.CharField(
        label=_("新统一社会信用代码"), max_length=18, required=False, help_text=_("不变更则留空。")
    )
    county = CountyChoiceField(
        label=_("新所在县（市、区）"),
        queryset=County.objects.select_related("city").order_by("city__position", "code"),
        required=False,
        help_text=_("不变更则留空。"),
    )
    city = forms.ModelChoiceField(
        label=_("新所在设区市"),
        queryset=City.objects.order_by("position"),
        required=False,
        help_text=_("不变更则留空。"),
    )
    reason = forms.CharField(
        label=_("变更原因及依据"), widget=forms.Textarea(attrs={"rows": 3}), max_length=1000
    )

    def __init__(self, *args, organisation, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["name"].initial = organisation.name
        for field in self.fields.values():
            if field.required:
                _required(field)
        # Enterprises have a credit code and a county; parks a city; assessors a credit code only.
        if roles.organisation_is_enterprise(organisation):
            drop = ("city",)
        elif roles.verified_by_province(organisation):
            drop = ("county", "city")
        else:
            drop = ("credit_code", "county")
        for name in drop:
            del self.fields[name]

    def clean_credit_code(self):
        code = (self.cleaned_data.get("credit_code") or "").strip().upper()
        if code:
            validate_uscc(code)
        return code
