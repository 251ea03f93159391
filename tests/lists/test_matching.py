"""A listed unit need not have an account: when it registers or signs in later it is matched by
credit code (a park by name within its city)."""

from accounts.models import Enterprise, Organisation, OrganisationKind
from applications.services import application_transition
from lists.models import EntryChange, ListEntry
from lists.services import city_list_import
from reference.models import City
from tests import factories as f

from .conftest import code, xlsx


def test_a_unit_listed_before_it_registers_is_matched_by_credit_code(lw, client):
    city_list_import(
        city=City.objects.get(code="330100"),
        year=lw.year,
        data=xlsx(
            [
                (1, "后注册机械有限公司", code(77), "西湖区", "工厂", "3311", 2024),
                (2, "后注册园区", "", "", "园区", "高新区", 2024),
            ]
        ),
        file_name="list.xlsx",
        by=lw.city,
    )
    assert not ListEntry.objects.filter(organisation__isnull=False).exists()
    # It registers (an account with the same credit code) …
    org = Organisation.objects.create(
        kind=OrganisationKind.ENTERPRISE,
        name="后注册机械有限公司（更名）",
        county_id="330106",
        city_id="330100",
    )
    Enterprise.objects.create(organisation=org, credit_code=code(77), industry_class="3311")
    user = f.user_of(org)
    # … and is eligible at once: the condition reads the list by credit code.
    app = f.application(org, lw.batch)
    application_transition(app, name="submit", by=user)
    assert app.state == "county_review"
    # Signing in links the entry to the account.
    # Through the sign-in form: django-axes needs the request, which client.login() does not pass.
    response = client.post("/accounts/login/", {"username": user.username, "password": "pw-for-tests-1"})
    assert response.status_code == 302
    entry = ListEntry.objects.get(credit_code=code(77))
    assert entry.organisation == org
    assert EntryChange.objects.filter(entry=entry, action="linked").exists()
    # A park is matched by its name within its city.
    park = Organisation.objects.create(kind=OrganisationKind.PARK, name="后注册 园区", city_id="330100")
    from accounts.models import Park

    Park.objects.create(
        organisation=park, park_type="high_tech", level="provincial", management_body="管委会"
    )
    park_user = f.user_of(park)
    client.post("/accounts/logout/")
    response = client.post("/accounts/login/", {"username": park_user.username, "password": "pw-for-tests-1"})
    assert response.status_code == 302
    assert ListEntry.objects.get(unit_name="后注册园区").organisation == park


def test_an_upload_links_units_that_already_have_accounts(lw):
    e = lw.factory_org.enterprise
    city_list_import(
        city=City.objects.get(code="330100"),
        year=lw.year,
        data=xlsx([(1, "名单上的名称", e.credit_code, "西湖区", "工厂", "3311", 2024)]),
        file_name="list.xlsx",
        by=lw.city,
    )
    assert ListEntry.objects.get().organisation == lw.factory_org
