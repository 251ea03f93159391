"""The phone-and-axe walk (tests/browser/test_every_page.py) cannot silently miss a page: every
named URL of the project is either visited by the walk (tests/browser/pages.py VISITS) or
exempted there with its reason (EXEMPT). Fast: no browser, no database."""

from django.urls import URLPattern, URLResolver, get_resolver

from tests.browser.pages import DOWNLOAD, EXEMPT, EXEMPT_NAMESPACES, POST, VISITS


def named_views(patterns=None, namespace=""):
    """(full name, view) of every named URL pattern, namespaces included ("api:batch-list")."""
    for p in patterns if patterns is not None else get_resolver().url_patterns:
        if isinstance(p, URLResolver):
            inner = f"{namespace}{p.namespace}:" if p.namespace else namespace
            yield from named_views(p.url_patterns, inner)
        elif isinstance(p, URLPattern) and p.name:
            yield f"{namespace}{p.name}", p.callback


def answers_get(view) -> bool:
    cls = getattr(view, "view_class", None)
    if cls is None:
        return True  # a function view: assume it may
    return "get" in cls.http_method_names and hasattr(cls, "get")


NAMES = dict(named_views())
WALKED = {v.name for v in VISITS if v.name}


def test_every_named_url_is_walked_or_exempted_with_a_reason():
    missing = sorted(
        name
        for name in NAMES
        if name not in WALKED and name not in EXEMPT and name.split(":")[0] not in EXEMPT_NAMESPACES
    )
    assert not missing, (
        "named URLs neither walked (tests/browser/pages.py VISITS) nor exempted (EXEMPT) with a "
        f"reason: {missing}"
    )


def test_the_exemptions_are_true_and_current():
    assert not (WALKED & set(EXEMPT)), "walked and exempted at once"
    assert set(EXEMPT) <= set(NAMES), f"exemptions of URLs that no longer exist: {set(EXEMPT) - set(NAMES)}"
    assert WALKED <= set(NAMES), f"walked names that do not exist: {WALKED - set(NAMES)}"
    for name, (kind, reason) in EXEMPT.items():
        assert reason.strip(), name
        if kind == POST:
            assert not answers_get(NAMES[name]) or name == "set_language", f"{name} answers GET: walk it"
    # A download answers GET; one that is a page in disguise would be caught by its own tests.
    assert all(answers_get(NAMES[n]) for n, (kind, _r) in EXEMPT.items() if kind == DOWNLOAD)


def test_every_walked_page_that_answers_get_is_opened_itself():
    """A visit through a form (act: the upload previews, a confirmation page) covers a POST-only
    URL; a URL that answers GET is also opened by itself."""
    opened = {v.name for v in VISITS if v.name and not v.act}
    through_a_form = {name for name in WALKED - opened if answers_get(NAMES[name])}
    assert not through_a_form, through_a_form
