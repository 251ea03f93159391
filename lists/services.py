"""Writes to the lists: a city's year-end upload, the national import, one entry added or ended
by hand, provincial entries written by joint publication, and accounts matched to entries.

Every write runs in a transaction, locks the city (or every city, for the national list) so two
uploads cannot interleave, and writes an append-only EntryChange row per entry it adds or ends."""

import hashlib
import uuid
from dataclasses import dataclass, field

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from accounts import roles
from accounts.models import Organisation
from accounts.uscc import is_valid as uscc_is_valid
from core.exceptions import Forbidden, InvalidInput, NotAllowedNow
from reference.models import City

from . import rules
from .exceptions import ListImportRefused
from .models import (
    EntryChange,
    EntryStatus,
    ListEntry,
    ListImport,
    Tier,
    UnitKind,
    organisation_key,
    unit_key,
)
from .selectors import list_deadline
from .xlsx import Row, RowError, read_city_list, read_national_list


@dataclass
class ListPreview:
    """What an upload would do (or did) against the current list."""

    rows: int
    added: list[Row] = field(default_factory=list)
    ended: list[ListEntry] = field(default_factory=list)
    unchanged: list[ListEntry] = field(default_factory=list)
    list_import: ListImport | None = None

    @property
    def counts(self) -> dict[str, int]:
        return {"added": len(self.added), "ended": len(self.ended), "unchanged": len(self.unchanged)}


def _actor_org(by) -> str:
    return by.organisation.name if by.organisation_id else by.get_username()


def _lock_cities(city: City | None) -> None:
    qs = City.objects.select_for_update().order_by("code")
    list(qs.filter(pk=city.pk) if city is not None else qs)


def ended_reason_city(year: int) -> str:
    return _("未列入%(year)d年度市级名单") % {"year": year}


def ended_reason_national(year: int) -> str:
    return _("未列入%(year)d年导入的国家级名单") % {"year": year}


def _check_city_deadline(city: City, year: int) -> None:
    """通知 三: the city reports its list by the batch's city-list deadline unless the province
    extended that city's deadline."""
    deadline = list_deadline(city.code, year)
    if deadline is not None and timezone.localdate() > deadline:
        raise NotAllowedNow(
            _("%(city)s%(year)d年度市级名单的报送截止日期%(date)s已过，如需报送请联系省经信厅延期。")
            % {"city": city.name, "year": year, "date": formats.date_format(deadline, "DATE_FORMAT")}
        )


def _check_year(year) -> int:
    try:
        year = int(year)
    except (TypeError, ValueError):
        raise InvalidInput(_("请填写名单年度。")) from None
    latest = timezone.localdate().year + 1
    if not 2000 <= year <= latest:
        raise InvalidInput(_("名单年度应在2000–%(latest)d之间。") % {"latest": latest})
    return year


def _diff(rows: list[Row], current: list[ListEntry]) -> tuple[list[Row], list[ListEntry], list[ListEntry]]:
    by_key = {e.unit_key: e for e in current}
    new_keys = {r.key for r in rows}
    added = [r for r in rows if r.key not in by_key]
    ended = [e for e in current if e.unit_key not in new_keys]
    unchanged = [e for e in current if e.unit_key in new_keys]
    return added, ended, unchanged


def _organisations_for(rows: list[Row]) -> dict[str, Organisation]:
    """Units that already have an account, by the key of the entry about them. Two queries."""
    codes = [r.credit_code for r in rows if r.kind == UnitKind.FACTORY and r.credit_code]
    found = {}
    for org in Organisation.objects.filter(enterprise__credit_code__in=codes).select_related("enterprise"):
        found[organisation_key(org)] = org
    cities = {r.city.code for r in rows if r.kind == UnitKind.PARK}
    if cities:
        for org in Organisation.objects.filter(park__isnull=False, city_id__in=cities):
            found.setdefault(organisation_key(org), org)
    return found


def _apply(
    *, tier, kind, city, year, rows, current, by, data, file_name, reason_for_end, source
) -> ListPreview:
    added, ended, unchanged = _diff(rows, current)
    preview = ListPreview(rows=len(rows), added=added, ended=ended, unchanged=unchanged)
    now = timezone.now()
    sha256 = hashlib.sha256(data).hexdigest()
    list_import = ListImport(
        tier=tier,
        kind=kind,
        city=city,
        year=year,
        file_name=file_name[:255],
        sha256=sha256,
        size=len(data),
        rows=len(rows),
        added=len(added),
        ended=len(ended),
        unchanged=len(unchanged),
        imported_by=by,
        imported_by_organisation=_actor_org(by),
        imported_at=now,
    )
    list_import.file.save(f"{uuid.uuid4().hex}.xlsx", ContentFile(data), save=False)
    try:
        list_import.save()
    except Exception:
        list_import.file.delete(save=False)
        raise

    org_by_key = _organisations_for(added)
    entries = ListEntry.objects.bulk_create(
        ListEntry(
            tier=tier,
            kind=r.kind,
            unit_name=r.unit_name,
            credit_code=r.credit_code,
            unit_key=r.key,
            organisation=org_by_key.get(r.key),
            city=r.city,
            county=r.county,
            industry_class=r.industry_class,
            park_type=r.park_type,
            industry_text=r.industry_text,
            year=r.year,
            source=source,
            list_import=list_import,
            created_at=now,
            created_by=by,
        )
        for r in added
    )
    changes = [
        EntryChange(
            entry=e,
            action=EntryChange.Action.ADDED,
            list_import=list_import,
            actor=by,
            actor_organisation=_actor_org(by),
            created_at=now,
            reason=source,
        )
        for e in entries
    ]
    if ended:
        ListEntry.objects.filter(pk__in=[e.pk for e in ended]).update(
            status=EntryStatus.ENDED, ended_at=now, end_reason=reason_for_end, ended_by=by
        )
        changes += [
            EntryChange(
                entry=e,
                action=EntryChange.Action.ENDED,
                list_import=list_import,
                actor=by,
                actor_organisation=_actor_org(by),
                created_at=now,
                reason=reason_for_end,
            )
            for e in ended
        ]
    EntryChange.objects.bulk_create(changes, batch_size=1000)
    preview.list_import = list_import
    return preview


def _check_expected(added, ended, unchanged, expected):
    """The bureau confirmed what the preview showed; if the list changed since, it must look again."""
    if expected is not None and expected != {
        "added": len(added),
        "ended": len(ended),
        "unchanged": len(unchanged),
    }:
        raise NotAllowedNow(_("预览后名单已有变化，请重新上传并核对预览。"))


def city_list_import(
    *, city: City, year, data: bytes, file_name: str, by, dry_run: bool = False, expected: dict | None = None
) -> ListPreview:
    """通知 三: the city bureau reports its year-end city-level list. The file is checked row by
    row (nothing is saved while any row is wrong); a confirmed upload replaces the city's active
    city-level entries — units not on it end with "未列入YYYY年度市级名单". `dry_run` returns
    the preview and changes nothing."""
    if not rules.can_manage_city_list(by, city):
        raise Forbidden(_("只能上传本市的市级名单。"))
    year = _check_year(year)
    _check_city_deadline(city, year)
    result = read_city_list(data, city=city, latest_year=year)
    errors = list(result.errors)
    if not errors:
        errors += _claimed_elsewhere(result.rows, tier=Tier.CITY, city=city)
    if errors:
        raise ListImportRefused(errors)
    with transaction.atomic():
        _lock_cities(city)
        current = list(ListEntry.objects.active().filter(tier=Tier.CITY, city=city))
        added, ended, unchanged = _diff(result.rows, current)
        _check_expected(added, ended, unchanged, expected)
        if dry_run:
            return ListPreview(rows=len(result.rows), added=added, ended=ended, unchanged=unchanged)
        return _apply(
            tier=Tier.CITY,
            kind="",
            city=city,
            year=year,
            rows=result.rows,
            current=current,
            by=by,
            data=data,
            file_name=file_name,
            reason_for_end=ended_reason_city(year),
            source=_("%(city)s%(year)d年度市级名单") % {"city": city.name, "year": year},
        )


def _claimed_elsewhere(rows: list[Row], *, tier, city) -> list[RowError]:
    """A factory is on one city's list at a time: a row naming a unit that another city lists
    is refused with the other city's name."""
    keys = {r.key: r for r in rows if r.key.startswith("uscc:")}
    others = (
        ListEntry.objects.active()
        .filter(tier=tier, unit_key__in=keys)
        .exclude(city=city)
        .select_related("city")
    )
    return [
        RowError(
            keys[e.unit_key].row,
            "统一社会信用代码",
            _("该企业已在%(city)s的市级名单中，须先由该市移出。") % {"city": e.city.name},
        )
        for e in others
    ]


def national_list_import(
    *, kind: str, year, data: bytes, file_name: str, by, dry_run: bool = False, expected: dict | None = None
) -> ListPreview:
    """The province imports MIIT's national list for Zhejiang (factories or parks). The file is
    the whole current list: units no longer on it end. Units on it without an active provincial
    entry are marked 纳入省级统一管理 (通知 一(三))."""
    if not rules.can_import_national_list(by):
        raise Forbidden(_("只有省经信厅可以导入国家级名单。"))
    if kind not in UnitKind.values:
        raise InvalidInput(_("请选择名单类别（工厂或园区）。"))
    year = _check_year(year)
    result = read_national_list(data, kind=kind, latest_year=year)
    if result.errors:
        raise ListImportRefused(result.errors)
    with transaction.atomic():
        _lock_cities(None)
        current = list(ListEntry.objects.active().filter(tier=Tier.NATIONAL, kind=kind))
        added, ended, unchanged = _diff(result.rows, current)
        _check_expected(added, ended, unchanged, expected)
        if dry_run:
            return ListPreview(rows=len(result.rows), added=added, ended=ended, unchanged=unchanged)
        preview = _apply(
            tier=Tier.NATIONAL,
            kind=kind,
            city=None,
            year=year,
            rows=result.rows,
            current=current,
            by=by,
            data=data,
            file_name=file_name,
            reason_for_end=ended_reason_national(year),
            source=_("国家级绿色制造名单（%(year)d年导入）") % {"year": year},
        )
        _mark_provincial_management(kind)
    return preview


def _mark_provincial_management(kind: str) -> int:
    """通知 一(三): national units without an active provincial entry come under provincial
    management. The mark stays once set."""
    provincial = ListEntry.objects.active().filter(tier=Tier.PROVINCIAL).values("unit_key")
    return (
        ListEntry.objects.active()
        .filter(tier=Tier.NATIONAL, kind=kind, provincial_management=False)
        .exclude(unit_key__in=provincial)
        .update(provincial_management=True)
    )


@dataclass
class NewEntry:
    unit_name: str
    credit_code: str
    kind: str
    county: object
    industry_class: str = ""
    park_type: str = ""
    year: int = 0


@transaction.atomic
def city_list_entry_add(*, city: City, new: NewEntry, by) -> ListEntry:
    """The city bureau adds one unit to its city-level list between year-end uploads."""
    if not rules.can_manage_city_list(by, city):
        raise Forbidden(_("只能修改本市的市级名单。"))
    if new.county is not None and new.county.city_id != city.code:
        raise InvalidInput(_("“%(county)s”不属于%(city)s。") % {"county": new.county.name, "city": city.name})
    if new.kind == UnitKind.FACTORY and not uscc_is_valid(new.credit_code or ""):
        raise InvalidInput(_("工厂须填写有效的统一社会信用代码。"))
    _lock_cities(city)
    key = unit_key(kind=new.kind, credit_code=new.credit_code, city_id=city.code, name=new.unit_name)
    existing = ListEntry.objects.active().filter(tier=Tier.CITY, unit_key=key).select_related("city").first()
    if existing is not None:
        raise NotAllowedNow(
            _("%(unit)s已在%(city)s的市级名单中。") % {"unit": existing.unit_name, "city": existing.city.name}
        )
    row = Row(
        row=0,
        unit_name=new.unit_name,
        credit_code=new.credit_code,
        kind=new.kind,
        city=city,
        county=new.county,
    )
    entry = ListEntry.objects.create(
        tier=Tier.CITY,
        kind=new.kind,
        unit_name=new.unit_name,
        credit_code=new.credit_code,
        organisation=_organisations_for([row]).get(key),
        city=city,
        county=new.county,
        industry_class=new.industry_class if new.kind == UnitKind.FACTORY else "",
        park_type=new.park_type if new.kind == UnitKind.PARK else "",
        year=new.year,
        source=_("%(city)s经信局录入") % {"city": city.name},
        created_by=by,
    )
    EntryChange.objects.create(
        entry=entry,
        action=EntryChange.Action.ADDED,
        actor=by,
        actor_organisation=_actor_org(by),
        reason=entry.source,
    )
    return entry


@transaction.atomic
def list_entry_end(entry: ListEntry, *, by, reason: str) -> ListEntry:
    """End one entry (a city its city-level entries, the province national ones), with a reason.
    An application under review whose unit's city entry ends can no longer be recommended."""
    if not rules.can_end_entry(by, entry):
        raise Forbidden(_("您不能修改该名单条目。"))
    reason = (reason or "").strip()
    if not reason:
        raise InvalidInput(_("请填写移出原因。"))
    locked = ListEntry.objects.select_for_update().get(pk=entry.pk)
    if locked.status != EntryStatus.ACTIVE:
        raise NotAllowedNow(_("该条目已移出，无需重复操作。"))
    locked.status = EntryStatus.ENDED
    locked.ended_at = timezone.now()
    locked.end_reason = reason[:200]
    locked.ended_by = by
    locked.save(update_fields=["status", "ended_at", "end_reason", "ended_by"])
    EntryChange.objects.create(
        entry=locked,
        action=EntryChange.Action.ENDED,
        actor=by,
        actor_organisation=_actor_org(by),
        reason=locked.end_reason,
    )
    return locked


def list_entry_remove(entry: ListEntry, *, by, reason: str, barred_until_year: int) -> ListEntry:
    """通知 一(三): the province removes a unit from the list by its dynamic-management decision,
    published with the year's joint publication. Call inside the publication's transaction. The
    unit may not apply again up to `barred_until_year`."""
    locked = ListEntry.objects.select_for_update().get(pk=entry.pk)
    if locked.status != EntryStatus.ACTIVE:
        raise NotAllowedNow(_("%(unit)s的名单条目已移出。") % {"unit": locked.unit_name})
    locked.status = EntryStatus.ENDED
    locked.ended_at = timezone.now()
    locked.end_reason = reason.strip()[:200]
    locked.ended_by = by
    locked.barred_until_year = barred_until_year
    locked.save(update_fields=["status", "ended_at", "end_reason", "ended_by", "barred_until_year"])
    EntryChange.objects.create(
        entry=locked,
        action=EntryChange.Action.ENDED,
        actor=by,
        actor_organisation=_actor_org(by),
        reason=locked.end_reason,
    )
    return locked


def list_entry_rename(entry: ListEntry, *, name: str, by, reason: str) -> ListEntry:
    """A renamed unit keeps its listing under its new name (the province confirms the change in
    dynamic management; taken into the list with the year's publication)."""
    locked = ListEntry.objects.select_for_update().get(pk=entry.pk)
    old = locked.unit_name
    locked.unit_name = name.strip()[:100]
    locked.save()
    EntryChange.objects.create(
        entry=locked,
        action=EntryChange.Action.RENAMED,
        actor=by,
        actor_organisation=_actor_org(by),
        reason=(_("%(old)s更名为%(new)s") % {"old": old, "new": locked.unit_name} + "；" + reason)[:200],
    )
    return locked


@dataclass
class PublishedUnit:
    """A unit joint publication puts on the provincial list (通知 二(四))."""

    organisation: Organisation
    kind: str
    city_id: str
    county_id: str | None
    industry_class: str = ""


def provincial_entries_write(*, units: list[PublishedUnit], year: int, source: str, by) -> list[ListEntry]:
    """Write a provincial entry for every published unit. Call inside the publication's
    transaction: the list and the publication commit together or not at all. A unit that already
    has an active provincial entry keeps it."""
    keys = {organisation_key(u.organisation): u for u in units}
    keys.pop(None, None)
    existing = set(
        ListEntry.objects.active()
        .filter(tier=Tier.PROVINCIAL, unit_key__in=keys)
        .values_list("unit_key", flat=True)
    )
    now = timezone.now()
    new = []
    for key, u in keys.items():
        if key in existing:
            continue
        org = u.organisation
        is_park = u.kind == UnitKind.PARK
        new.append(
            ListEntry(
                tier=Tier.PROVINCIAL,
                kind=u.kind,
                unit_name=org.name,
                credit_code="" if is_park else org.enterprise.credit_code,
                unit_key=key,
                organisation=org,
                city_id=u.city_id,
                county_id=u.county_id,
                industry_class="" if is_park else u.industry_class,
                park_type=org.park.park_type if is_park else "",
                year=year,
                source=source[:120],
                created_at=now,
                created_by=by,
            )
        )
    entries = ListEntry.objects.bulk_create(new)
    EntryChange.objects.bulk_create(
        EntryChange(
            entry=e,
            action=EntryChange.Action.ADDED,
            actor=by,
            actor_organisation=_actor_org(by),
            created_at=now,
            reason=source[:200],
        )
        for e in entries
    )
    return entries


def organisation_entries_link(organisation) -> int:
    """Match a unit that now has an account to the entries about it — by credit code for an
    enterprise, by name within its city for a park — and link them. Returns how many were
    linked. Called on sign-in; imports and publication link units that already have accounts."""
    key = organisation_key(organisation)
    if key is None:
        return 0
    with transaction.atomic():
        entries = list(
            ListEntry.objects.select_for_update().filter(unit_key=key).exclude(organisation=organisation)
        )
        for e in entries:
            e.organisation = organisation
            e.save(update_fields=["organisation"])
        EntryChange.objects.bulk_create(
            EntryChange(
                entry=e,
                action=EntryChange.Action.LINKED,
                actor_organisation=organisation.name,
                reason=_("账号单位：%(name)s") % {"name": organisation.name},
            )
            for e in entries
        )
    return len(entries)


def link_on_sign_in(sender, request, user, **kwargs):
    """user_logged_in receiver: link the signing-in unit's entries to it."""
    org = roles.organisation_of(user)
    if roles.organisation_is_applicant(org):
        organisation_entries_link(org)
