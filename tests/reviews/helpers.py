"""Building review scenarios through the real services (shared by tests/reviews and tests/exports)."""

from reviews.services import city_submission_open
from tests import factories as f

PARK_NAMES = ("杭州湾绿色智造产业园", '=HYPERLINK("http://x")园区')
FACTORY_NAMES = ("杭州绿源精密机械有限公司", "+86杭州低碳新材料股份有限公司", "@杭州清源纺织有限公司")


def recommended_submission(*, parks=PARK_NAMES, factories=FACTORY_NAMES, quota=5, batch=None, assessor=None):
    """A batch where 杭州 recommended `parks` and `factories` (factories in 西湖区), and the city's
    draft submission for it."""
    b = batch or f.batch(quotas={"330100": quota, "330200": quota})
    city_user = f.city_bureau("330100").users.first() or f.user_of(f.city_bureau("330100"))
    apps = []
    for name in parks:
        apps.append(
            f.advance(f.application(f.park("330100", name=name), b, assessor_org=assessor), "recommended")
        )
    for name in factories:
        app = f.application(f.enterprise("330106", name=name), b, assessor_org=assessor)
        apps.append(f.advance(app, "recommended"))
    submission = city_submission_open(batch=b, by=city_user)
    return submission, apps, city_user
