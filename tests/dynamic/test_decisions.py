"""The province's decisions take effect with the year's joint publication (通知 一(三)): removed
units' entries end (date, reason) and renamed ones take their new names in the publication's
transaction; the adjustment list is an annex of the notice and on the public page; a removed unit
may not apply again for the batch's number of years, and the refusal says why and until when."""

import subprocess

import pytest
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from applications.services import application_transition
from core.exceptions import InvalidInput, NotAllowedNow
from dynamic.services import form_change_add, form_transition
from lists.models import EntryChange, EntryStatus
from publicity.models import Publication
from publicity.notice import publication_notice_pdf
from publicity.services import publication_publish
from tests import factories as f

NEW_NAME = "杭州更名后科技有限公司"


def _ready_to_publish(world, clock):
    """A new unit through a publicity round that has ended (the clock moves past it)."""
    app = f.advance(
        f.application(f.enterprise("330106", name="本年新入选企业"), world.batch), "province_review"
    )
    f.after_publicity(clock, f.publicity_round([app]))
    return app


def _decided(world):
    """The factory with a 重大 accident proposed for removal and removed by the province; the park
    renamed, the change confirmed."""
    factory = world.in_state("factory", "city_review", safety_accident="major")
    form_transition(
        factory,
        name="city_conclude",
        by=world.users["city"],
        opinion="remove",
        reasons=["major_accident"],
        comment="2024年发生重大生产安全事故",
    )
    form_transition(
        factory, name="decide", by=world.users["province"], decision="remove", comment="重大生产安全事故"
    )
    park = world.form("park")
    world.fill(park)
    form_change_add(
        form=park,
        by=world.users["park"],
        field="name",
        new_value=NEW_NAME,
        changed_on=timezone.localdate(),
        upload=f.pdf_upload("更名批复.pdf"),
    )
    form_transition(park, name="submit", by=world.users["park"])
    form_transition(park, name="city_conclude", by=world.users["city"], opinion="change")
    form_transition(park, name="decide", by=world.users["province"], decision="change")
    return factory, park


def test_removal_needs_a_reason_and_change_needs_a_declared_change(world):
    form = world.in_state("factory", "city_done")
    with pytest.raises(InvalidInput, match="撤销须填写理由"):
        form_transition(form, name="decide", by=world.users["province"], decision="remove")
    with pytest.raises(NotAllowedNow, match="确认变更须有单位申报的变更事项"):
        form_transition(form, name="decide", by=world.users["province"], decision="change")
    form.refresh_from_db()
    assert form.state == "city_done" and form.decision == ""


def test_decisions_take_effect_only_with_publication(world):
    _decided(world)
    world.factory_entry.refresh_from_db()
    world.park_entry.refresh_from_db()
    assert world.factory_entry.status == EntryStatus.ACTIVE
    assert world.park_entry.unit_name != NEW_NAME


def test_publication_ends_and_renames_entries_and_publishes_the_adjustment_list(
    world, client, tmp_path, time_machine
):
    factory, _park = _decided(world)
    _ready_to_publish(world, time_machine)
    publication = publication_publish(
        batch=world.batch, by=world.users["province"], document_number="浙经信绿色〔2025〕99号"
    )
    entry = world.factory_entry
    entry.refresh_from_db()
    assert entry.status == EntryStatus.ENDED and entry.ended_at is not None
    assert "重大生产安全事故" in entry.end_reason and "浙经信绿色〔2025〕99号" in entry.end_reason
    assert entry.barred_until_year == world.batch.year + 3
    world.park_entry.refresh_from_db()
    assert world.park_entry.unit_name == NEW_NAME and world.park_entry.status == EntryStatus.ACTIVE
    assert EntryChange.objects.filter(entry=world.park_entry, action="renamed").exists()
    factory.refresh_from_db()
    assert factory.published_at is not None

    body = client.get(reverse("public-published", args=[publication.pk])).content.decode()
    assert "省级绿色制造动态管理调整名单" in body
    assert world.factory_org.name in body and f"更名为{NEW_NAME}" in body

    path = tmp_path / "notice.pdf"
    path.write_bytes(publication_notice_pdf(publication))
    text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout
    text = text.replace("\n", "").replace(" ", "")
    assert "省级绿色制造动态管理调整名单" in text and world.factory_org.name in text and NEW_NAME in text


def test_ending_and_renaming_are_undone_when_the_publication_fails(world, time_machine):
    _decided(world)
    app = _ready_to_publish(world, time_machine)
    # A real database failure late in the publication's transaction: writing the adjustment list.
    with connection.cursor() as cursor:
        cursor.execute(
            "CREATE FUNCTION refuse_adjustment() RETURNS trigger AS $$"
            " BEGIN RAISE EXCEPTION 'refused'; END; $$ LANGUAGE plpgsql;"
            " CREATE TRIGGER refuse_adjustment BEFORE INSERT ON publicity_publicationadjustment"
            " FOR EACH ROW EXECUTE FUNCTION refuse_adjustment();"
        )
    with pytest.raises(Exception, match="refused"):
        publication_publish(batch=world.batch, by=world.users["province"])
    for entry in (world.factory_entry, world.park_entry):
        before = entry.unit_name
        entry.refresh_from_db()
        assert entry.status == EntryStatus.ACTIVE and entry.unit_name == before
    app.refresh_from_db()
    assert app.state == "publicity" and not Publication.objects.exists()
    assert not EntryChange.objects.filter(action__in=["renamed", "ended"]).exists()


def test_removed_unit_may_not_apply_again_for_the_batch_years(world, time_machine):
    _decided(world)
    _ready_to_publish(world, time_machine)
    publication_publish(batch=world.batch, by=world.users["province"])
    # The unit is still on its city's list; the removal from the provincial list bars it.
    next_year = f.batch(2026)
    app = f.application(world.factory_org, next_year)
    with pytest.raises(NotAllowedNow) as exc:
        application_transition(app, name="submit", by=world.users["factory"])
    reason = "；".join(exc.value.reasons)
    assert "因动态管理被移出省级绿色制造名单" in reason and "2028年（含）前不得再次申报" in reason
    assert "重大生产安全事故" in reason
    # After the bar (3 years by default, the batch's number), the unit may apply again.
    later = f.batch(2029)
    app = f.application(world.factory_org, later)
    application_transition(app, name="submit", by=world.users["factory"])
    assert app.state == "county_review"


def test_the_bar_is_the_batchs_number_of_years(world, time_machine):
    world.batch.removal_bar_years = 1
    world.batch.save()
    _decided(world)
    _ready_to_publish(world, time_machine)
    publication_publish(batch=world.batch, by=world.users["province"])
    world.factory_entry.refresh_from_db()
    assert world.factory_entry.barred_until_year == world.batch.year + 1
