"""Demo dynamic management for `make run`: the demo batch's campaign opened, and forms moved by
the real services into every state — one with a 重大 accident, one renamed, one decided for
removal — plus the 2025 batch's campaign, whose deadline has passed (逾期未报)."""

import datetime

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from applications.indicators import dynamic_keys, indicators_for

from .models import DynamicForm
from .services import campaign_open, form_change_add, form_document_upload, form_transition, form_update
from .states import FormKind


def _data(form, **overrides) -> dict:
    indicators = {}
    for ind in indicators_for(form.kind, "dynamic"):
        years = [k for k in dynamic_keys(form.kind, form.batch) if k != "benchmark"]
        falling = ind.higher_is_better is False
        values = {y: (30 - n if falling else 60 + n) for n, y in enumerate(years)}
        if form.kind == FormKind.FACTORY:
            values["benchmark"] = 40 if falling else 50
        indicators[ind.code] = values
    data = {
        "address": "浙江省" + form.city.name + "（演示地址）",
        "scope": "主要产品（演示）",
        "operating": "normal",
        "safety_accident": "none",
        "env_incident": "none",
        "tax_evasion": False,
        "dishonest": False,
        "rectification_unfinished": False,
        "indicators": indicators,
        "pledge": True,
    }
    if form.kind == FormKind.PARK:
        data.update(park_area=18.6, park_boundary="东至滨海大道，西至七塘公路（演示）")
    data.update(overrides)
    return data


def _fill(form, user, pdf: bytes, **overrides):
    form_update(form, by=user, data=_data(form, **overrides))
    form_document_upload(
        form=form,
        kind="signed_form",
        upload=SimpleUploadedFile("动态管理表（盖章）.pdf", pdf, content_type="application/pdf"),
        by=user,
    )


def load_demo_dynamic(*, batch, real_batch, province, plan, pdf: bytes) -> None:
    """`plan`: (organisation's list entry, unit user, county user, city user, target, extra) rows.
    Idempotent: a campaign already opened is left as it is."""
    if DynamicForm.objects.filter(batch=batch).exists():
        return
    campaign_open(batch=batch, by=province)
    if real_batch is not None and real_batch.city_submission_deadline < timezone.localdate():
        campaign_open(batch=real_batch, by=province)  # past its deadline: every form 逾期未报
    for entry, unit, county, city, target, extra in plan:
        form = DynamicForm.objects.get(batch=batch, entry=entry)
        if target == "draft":
            continue
        _fill(form, unit, pdf, **extra.get("data", {}))
        if extra.get("rename"):
            form_change_add(
                form=form,
                by=unit,
                field="name",
                new_value=extra["rename"],
                changed_on=timezone.localdate() - datetime.timedelta(days=60),
                upload=SimpleUploadedFile("更名后营业执照.pdf", pdf, content_type="application/pdf"),
            )
        form_transition(form, name="submit", by=unit)
        if target == "returned":
            holder = county if form.kind == "factory" else city
            form_transition(
                form, name="return_for_revision", by=holder, comment="请补充近三年能耗数据的计算说明。"
            )
            continue
        if form.kind == "factory" and target != "county_review":
            form_transition(form, name="county_pass", by=county, comment="材料齐全，同意报市。")
        if target in ("county_review", "city_review"):
            continue
        opinion = extra.get("opinion", "keep")
        form_transition(
            form,
            name="city_conclude",
            by=city,
            opinion=opinion,
            reasons=extra.get("reasons", []),
            comment=extra.get("comment", ""),
        )
        if target == "decided":
            form_transition(
                form, name="decide", by=province, decision=extra["decision"], comment=extra.get("why", "")
            )
