"""Writes for batches: loading a batch from its data file, and the province's changes to a batch
(quotas, deadlines, extensions and the other settings of the notice).

Every change runs in a transaction, locks the rows the cities' recommendations count against, and
writes one append-only BatchChange row per changed value: who, when, what, old, new and why."""

import datetime
import json
from decimal import Decimal
from pathlib import Path

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from core.history import HistoryEntry
from reference.models import City

from . import usage
from .annex1 import annex1_read
from .calendar import dates_clean
from .contacts import contact_text, contacts_parse
from .exceptions import QuotaImportRefused, RowError
from .models import Batch, BatchChange, CityQuota, DeadlineExtension, PublicityDayKind
from .settings_table import CARRIED, EDITABLE, SETTINGS, names


def _contacts_read(value):
    return contacts_parse(value) if isinstance(value, str) else value  # lines, or a list of dicts


_READ = {  # how a data file writes a setting (settings_table.Setting.read)
    "value": lambda value: value,
    "date": datetime.date.fromisoformat,
    "dates": dates_clean,  # dates or ranges ("2025-10-01~2025-10-08"), stored one by one
    "contacts": _contacts_read,
    "decimal": lambda value: Decimal(str(value)),
}


@transaction.atomic
def batch_load(data: dict) -> Batch:
    """Create or update the batch of `data["year"]` and its Annex 1 quotas from a data file
    (fixtures/batch_<year>.json). The notice's numbers and dates live in that file, not in code."""
    defaults = {}
    for name, setting in SETTINGS.items():
        if name not in data or (setting.read == "date" and not data[name]):
            continue  # left out, or a date left empty: the batch keeps what it has
        defaults[name] = _READ[setting.read](data[name])
    batch, _ = Batch.objects.update_or_create(year=data["year"], defaults=defaults)
    for city_code, quota in data.get("factory_quotas", {}).items():
        CityQuota.objects.update_or_create(batch=batch, city_id=city_code, defaults={"factory_quota": quota})
    return batch


def batch_load_file(path: str | Path) -> Batch:
    with open(path, encoding="utf-8") as fh:
        return batch_load(json.load(fh))


def _as_text(value) -> str:
    """How a value is written into the history: dates as ISO dates, lists joined, booleans in
    words, nothing as an empty string."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return _("是") if value else _("否")
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, list | tuple):
        if value and all(isinstance(v, dict) for v in value):  # the contacts
            return "；".join(contact_text(v) for v in value)
        return "、".join(str(v) for v in value)
    return str(value)


def _record(batch, *, field, by, old, new, reason="", city=None) -> BatchChange:
    return BatchChange.objects.create(
        batch=batch,
        field=field,
        city=city,
        old_value=_as_text(old),
        new_value=_as_text(new),
        reason=reason,
        **HistoryEntry.acting(by),
    )


def _lock_batch(batch) -> Batch:
    return Batch.objects.select_for_update().get(pk=batch.pk)


def _cap_used_max(batch) -> int:
    return max(usage.counter().cap_used_by_group(batch).values(), default=0)


def batch_update(batch: Batch, *, by, reason: str = "", **changes) -> list[BatchChange]:
    """Change the batch's settings (通知 三 and its annexes are data on the batch).

    Only the settings the table marks `edit` are accepted. Raises ValidationError keyed by field, and
    changes nothing, when a value is refused: the park quota below the most parks any city has
    already recommended, the assessor cap below what a legal entity already carries, a publicity
    period under one day, or no joint department. The batch row and every city's quota row are
    locked, so no city can recommend a park while the park quota changes."""
    unknown = set(changes) - set(EDITABLE)
    if unknown:
        raise TypeError(f"batch_update() cannot change {sorted(unknown)}")
    reason = (reason or "").strip()
    with transaction.atomic():
        locked = _lock_batch(batch)
        # city_recommend locks the city's quota row (or the batch where it has none) before it
        # counts; holding them all makes the count below final until this commits.
        list(CityQuota.objects.select_for_update().filter(batch=locked))
        changed = {k: v for k, v in changes.items() if getattr(locked, k) != v}
        errors = {}
        if changed.get("park_quota") is not None:
            used = usage.counter().recommended(locked).parks
            most = max(used.values(), default=0)
            if changed["park_quota"] < most:
                city = City.objects.get(pk=max(used, key=used.get))
                errors["park_quota"] = _("%(city)s已推荐园区%(used)d个，园区推荐名额不能少于%(used)d个。") % {
                    "city": city.name,
                    "used": most,
                }
        if "assessor_cap" in changed:
            most = _cap_used_max(locked)
            if changed["assessor_cap"] < max(most, 1):
                errors["assessor_cap"] = (
                    _("已有第三方机构法人主体本批次承担评价项目%(used)d项，上限不能少于%(used)d项。")
                    % {"used": most}
                    if most
                    else _("上限至少为1项。")
                )
        if "publicity_days" in changed and changed["publicity_days"] < 1:
            errors["publicity_days"] = _("公示期至少为1天。")
        if "publicity_day_kind" in changed and changed["publicity_day_kind"] not in PublicityDayKind.values:
            errors["publicity_day_kind"] = _("请选择公示期计算方式。")
        for key in names(read="dates"):
            if key in changed:
                try:
                    changed[key] = dates_clean(changed[key])
                except ValueError as exc:
                    errors[key] = str(exc)
        if "joint_departments" in changed:
            departments = [d.strip() for d in changed["joint_departments"] if d and d.strip()]
            if not departments:
                errors["joint_departments"] = _("请至少填写一个联合发文部门。")
            changed["joint_departments"] = departments
        if errors:
            raise ValidationError(errors)
        records = []
        for field, new in changed.items():
            records.append(
                _record(locked, field=field, by=by, old=getattr(locked, field), new=new, reason=reason)
            )
            setattr(locked, field, new)
        if changed:
            locked.save(update_fields=list(changed))
    for field in changed:
        setattr(batch, field, getattr(locked, field))
    return records


def city_quotas_set(batch: Batch, *, quotas: dict[str, int], by, reason: str = "") -> list[BatchChange]:
    """Set the Annex 1 factory quotas of several cities at once, all or nothing.

    A city's quota cannot go below the factories it has already recommended (通知 三: a city
    recommends within its quota; what it has sent stays sent). The quota rows are locked first,
    as city_recommend locks them, so a recommendation racing this change is counted before the
    check or waits for the new quota. Raises ValidationError keyed by city code."""
    reason = (reason or "").strip()
    errors = {}
    for code, quota in quotas.items():
        if quota is None or quota < 0:
            errors[code] = _("推荐名额须为不小于0的整数。")
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        _lock_batch(batch)
        rows = {
            q.city_id: q
            for q in CityQuota.objects.select_for_update().filter(batch=batch, city_id__in=list(quotas))
        }
        cities = City.objects.in_bulk(list(quotas))
        used = usage.counter().recommended(batch).factories
        for code, quota in quotas.items():
            if code not in cities:
                errors[code] = _("未知的设区市：%(code)s") % {"code": code}
            elif quota < used.get(code, 0):
                errors[code] = _("%(city)s已推荐%(used)d个，名额不能少于%(used)d个。") % {
                    "city": cities[code].name,
                    "used": used[code],
                }
        if errors:
            raise ValidationError(errors)
        records = []
        for code, quota in quotas.items():
            row = rows.get(code)
            old = row.factory_quota if row else None
            if old == quota:
                continue
            if row is None:
                CityQuota.objects.create(batch=batch, city_id=code, factory_quota=quota)
            else:
                row.factory_quota = quota
                row.save(update_fields=["factory_quota"])
            records.append(
                _record(
                    batch, field="factory_quota", city=cities[code], by=by, old=old, new=quota, reason=reason
                )
            )
    return records


def city_quota_set(batch: Batch, *, city: City | str, quota: int, by, reason: str = "") -> list[BatchChange]:
    """One city's Annex 1 quota; see city_quotas_set."""
    code = city if isinstance(city, str) else city.code
    return city_quotas_set(batch, quotas={code: quota}, by=by, reason=reason)


def quota_table_import(batch: Batch, *, data: bytes, by, reason: str = "") -> dict[str, int]:
    """Replace the batch's quotas with an Annex 1 table read from an .xlsx, all or nothing.

    Raises QuotaImportRefused with one RowError per bad row (the file's own problems, and a city
    whose new quota is below what it has recommended); nothing changes then."""
    table = annex1_read(data, year=batch.year)
    if table.errors:
        raise QuotaImportRefused(table.errors)
    try:
        city_quotas_set(
            batch,
            quotas={code: q for code, (_row, q) in table.quotas.items()},
            by=by,
            reason=reason or _("导入名额表"),
        )
    except ValidationError as exc:
        names = City.objects.in_bulk(list(table.quotas))
        raise QuotaImportRefused(
            [
                RowError(row=table.quotas[code][0], city=names[code].name, message=" ".join(messages))
                for code, messages in exc.message_dict.items()
            ]
        ) from None
    return {code: q for code, (_row, q) in table.quotas.items()}


def deadline_extend(
    batch: Batch, *, city: City | str, deadline: datetime.date, reason: str, by
) -> DeadlineExtension:
    """Extend (or change the extension of) one city's submission deadline (通知 三: nothing reaches
    the province after the deadline unless the province extends it). A reason is required and the
    new date must fall after the batch's own deadline."""
    code = city if isinstance(city, str) else city.code
    reason = (reason or "").strip()
    errors = {}
    if not reason:
        errors["reason"] = _("请填写延期原因。")
    if deadline <= batch.city_submission_deadline:
        errors["deadline"] = _("延长后的截止日期须晚于本批次截止日期%(date)s。") % {
            "date": formats.date_format(batch.city_submission_deadline, "DATE_FORMAT")
        }
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        _lock_batch(batch)
        city_obj = City.objects.get(pk=code)
        extension = DeadlineExtension.objects.select_for_update().filter(batch=batch, city=city_obj).first()
        old = extension.deadline if extension else None
        if extension is None:
            extension = DeadlineExtension(batch=batch, city=city_obj)
        else:
            extension.granted_at = timezone.now()  # auto_now_add only dates the first grant
        extension.deadline = deadline
        extension.reason = reason
        extension.granted_by = by
        extension.save()
        _record(batch, field="extension", city=city_obj, by=by, old=old, new=deadline, reason=reason)
    return extension


def deadline_extension_remove(batch: Batch, *, city: City | str, reason: str, by) -> None:
    """Withdraw a city's extension: the batch's deadline applies to it again. Reason required."""
    code = city if isinstance(city, str) else city.code
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("请填写撤销延期的原因。")})
    with transaction.atomic():
        _lock_batch(batch)
        extension = DeadlineExtension.objects.select_for_update().filter(batch=batch, city_id=code).first()
        if extension is None:
            raise ValidationError({"reason": _("该设区市没有延期。")})
        _record(
            batch,
            field="extension",
            city=extension.city,
            by=by,
            old=extension.deadline,
            new=None,
            reason=reason,
        )
        extension.delete()


def batch_open_next(
    *,
    by,
    source: Batch,
    year: int,
    title: str,
    notice_number: str,
    notice_date=None,
    city_submission_deadline,
    city_list_deadline,
    publicity_days: int,
) -> Batch:
    """The province opens next year's batch in the browser: the settings of `source` copied, the
    new year's notice and dates set, Annex 1's quotas copied as a starting point (the province
    imports the new Annex 1 on the batch page). Not accepting applications until the province
    says so. One history row records where the batch came from."""
    errors = {}
    if Batch.objects.filter(year=year).exists():
        errors["year"] = [_("%(year)d年度批次已存在。") % {"year": year}]
    if city_list_deadline and city_submission_deadline and city_list_deadline < city_submission_deadline:
        errors["city_list_deadline"] = [_("市级名单报送截止日期不应早于设区市报送截止日期。")]
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        batch = Batch.objects.create(
            year=year,
            title=title.strip(),
            notice_number=notice_number.strip(),
            notice_date=notice_date,
            city_submission_deadline=city_submission_deadline,
            city_list_deadline=city_list_deadline,
            publicity_days=publicity_days,
            accepting_applications=False,
            **{name: getattr(source, name) for name in CARRIED},
        )
        CityQuota.objects.bulk_create(
            CityQuota(batch=batch, city_id=q.city_id, factory_quota=q.factory_quota)
            for q in source.quotas.all()
        )
        _record(
            batch,
            field="year",
            by=by,
            old=source.year,
            new=year,
            reason=_("由%(year)d年度批次复制设置创建") % {"year": source.year},
        )
    return batch
