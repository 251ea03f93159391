"""The applying units' profiles: enterprise (企业) and park management body (园区管理机构)."""

from django import forms
from django.contrib.auth.forms import PasswordResetForm
from django.template import loader
from django.utils.translation import gettext_lazy as _

from reference.models import City, County

from .models import Enterprise, Organisation, OrgRole, Park, User
from .notify import notify


class CountyChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.city.name} {obj.name}"


class ProfileForm(forms.ModelForm):
    """Profile fields plus the organisation's name and region (kept on Organisation)."""

    name = forms.CharField(
        label=_("单位名称"), max_length=100, error_messages={"required": _("请填写单位名称。")}
    )

    sections: list = []

    # A verified unit's identity changes only by a request its bureau approves
    # (onboarding.identity); on the profile these fields are shown, not edited.
    identity_fields = ("name",)

    def __init__(self, *args, organisation: Organisation, **kwargs):
        self.organisation = organisation
        super().__init__(*args, **kwargs)
        self.fields["name"].initial = organisation.name

    def lock_identity(self):
        if not self.organisation.is_verified:
            return
        for name in self.identity_fields:
            self.fields[name].disabled = True
            self.fields[name].help_text = _("已核验的信息，变更请提交“单位信息变更申请”。")

    def fieldsets(self):
        return [(title, [self[name] for name in names]) for title, names in self.sections]


class EnterpriseProfileForm(ProfileForm):
    county = CountyChoiceField(
        label=_("所在县（市、区）"),
        queryset=County.objects.select_related("city").order_by("city__position", "code"),
        error_messages={
            "required": _("请选择所在县（市、区）。"),
            "invalid_choice": _("请选择浙江省的县（市、区）。"),
        },
        help_text=_("工厂材料先由所在县（市、区）经信局审核。"),
    )

    class Meta:
        model = Enterprise
        fields = [
            "credit_code",
            "industry_class",
            "address",
            "legal_representative",
            "contact_name",
            "contact_phone",
            "contact_email",
        ]
        help_texts = {
            "credit_code": _("18位，按 GB 32100 校验；字母请大写。"),
            "industry_class": _("GB/T 4754-2017 小类，4位数字，如 3311。"),
        }
        error_messages = {
            "credit_code": {
                "required": _("请填写统一社会信用代码。"),
                "unique": _("该统一社会信用代码已被其他单位使用。"),
            },
            "contact_email": {"invalid": _("请输入有效的电子邮箱地址。")},
        }

    identity_fields = ("name", "credit_code", "county")
    field_order = ["name", "credit_code", "county", "industry_class", "address"]
    sections = [
        (_("基本信息"), ["name", "credit_code", "county", "industry_class", "address"]),
        (_("法定代表人和联系人"), ["legal_representative", "contact_name", "contact_phone", "contact_email"]),
    ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["county"].initial = self.organisation.county_id
        self.lock_identity()
        self.fields["industry_class"].required = True
        self.fields["industry_class"].error_messages["required"] = _("请填写行业代码。")

    def clean_credit_code(self):
        return (self.cleaned_data.get("credit_code") or "").strip().upper()


class ParkProfileForm(ProfileForm):
    city = forms.ModelChoiceField(
        label=_("所在设区市"),
        queryset=City.objects.order_by("position"),
        error_messages={"required": _("请选择所在设区市。")},
        help_text=_("园区材料由所在设区市经信局审核。"),
    )

    class Meta:
        model = Park
        fields = [
            "park_type",
            "level",
            "is_independent_block",
            "management_body",
            "address",
            "manufacturing_dominant",
            "value_added_share",
            "has_legal_boundary",
            "has_unified_management",
            "legal_representative",
            "contact_name",
            "contact_phone",
            "contact_email",
        ]
        labels = {"legal_representative": _("管理机构负责人")}
        help_texts = {
            "value_added_share": _("园区工业增加值占园区地区生产总值的比重，须超过批次规定的比例（如50%）。"),
            "is_independent_block": _("以省级以上工业园区内可独立统计的区块申报时勾选。"),
        }
        error_messages = {
            "value_added_share": {
                "invalid": _("请输入0–100之间的数字。"),
                "max_value": _("占比不能超过100。"),
                "min_value": _("占比不能小于0。"),
                "max_decimal_places": _("最多保留2位小数。"),
            },
            "management_body": {"required": _("请填写管理机构名称。")},
            "contact_email": {"invalid": _("请输入有效的电子邮箱地址。")},
        }

    identity_fields = ("name", "city")
    field_order = ["name", "park_type", "level", "city", "is_independent_block", "management_body"]
    sections = [
        (
            _("基本信息"),
            [
                "name",
                "park_type",
                "level",
                "city",
                "is_independent_block",
                "management_body",
                "address",
            ],
        ),
        (
            _("园区条件（通知 一(一)）"),
            ["manufacturing_dominant", "value_added_share", "has_legal_boundary", "has_unified_management"],
        ),
        (_("负责人和联系人"), ["legal_representative", "contact_name", "contact_phone", "contact_email"]),
    ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["city"].initial = self.organisation.city_id
        self.lock_identity()
        self.fields["park_type"].error_messages["required"] = _("请选择园区类型。")
        self.fields["level"].error_messages["required"] = _("请选择园区级别。")


class InviteForm(forms.Form):
    full_name = forms.CharField(
        label=_("姓名"), max_length=50, error_messages={"required": _("请填写姓名。")}
    )
    email = forms.EmailField(
        label=_("电子邮箱"),
        error_messages={"required": _("请填写电子邮箱。"), "invalid": _("请输入有效的电子邮箱地址。")},
        help_text=_("作为登录名；设置密码的链接发送到该邮箱。"),
    )
    role = forms.ChoiceField(label=_("角色"), choices=OrgRole.choices, initial=OrgRole.MEMBER)


class BureauAdminForm(forms.Form):
    bureau = forms.ModelChoiceField(
        label=_("经信局"),
        queryset=Organisation.objects.none(),
        error_messages={"required": _("请选择单位。")},
    )
    full_name = forms.CharField(
        label=_("姓名"), max_length=50, error_messages={"required": _("请填写姓名。")}
    )
    email = forms.EmailField(
        label=_("电子邮箱"),
        error_messages={"required": _("请填写电子邮箱。"), "invalid": _("请输入有效的电子邮箱地址。")},
    )
    phone = forms.CharField(label=_("联系电话"), max_length=30, required=False)

    def __init__(self, *args, bureaus, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["bureau"].queryset = bureaus


class PasswordResetAnyForm(PasswordResetForm):
    """Django's reset form, also for people who never set a password (an invitation that
    expired): they get the same link."""

    def get_users(self, email):
        email_field = User.get_email_field_name()
        return (
            u
            for u in User._default_manager.filter(**{f"{email_field}__iexact": email, "is_active": True})
            if u.email
        )

    def send_mail(self, subject_template_name, email_template_name, context, from_email, to_email, **kwargs):
        # Through the one notification path: the mail, and the same message in the inbox.

        subject = "".join(loader.render_to_string(subject_template_name, context).splitlines())
        body = loader.render_to_string(email_template_name, context)
        notify(subject=subject, body=body, users=[context["user"]])
