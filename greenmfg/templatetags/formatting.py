"""How numbers and sizes read on every page: thousands separators, integers without ".0", sizes in
the unit that suits them (50 MB, not 50.0 MB) — in the reader's locale ({% load formatting %})."""

from decimal import Decimal, InvalidOperation

from django import template
from django.utils import formats, numberformat
from django.utils.translation import gettext as _

register = template.Library()


@register.filter
def number(value, places=2):
    """1250000 → 1,250,000; 88.0 → 88; 12.50 → 12.5 (at most `places` decimals). Not a number:
    shown as it is; None: an em dash."""
    if value is None or value == "":
        return "—"
    try:
        d = Decimal(str(value))
    except (InvalidOperation, ValueError):
        return value
    d = round(d, int(places))
    d = d.to_integral_value() if d == d.to_integral_value() else d.normalize()
    decimals = max(0, -d.as_tuple().exponent)
    # Groups of three in both languages (Django's zh-hans formats do not group at all).
    return numberformat.format(
        d,
        formats.get_format("DECIMAL_SEPARATOR"),
        decimal_pos=decimals,
        grouping=3,
        thousand_sep=formats.get_format("THOUSAND_SEPARATOR") or ",",
        force_grouping=True,
    )


@register.filter
def filesize(value):
    """Bytes in the unit that suits them, one decimal only when it says something: 50 MB, 1.5 MB."""
    try:
        size = int(value)
    except (TypeError, ValueError):
        return value
    for unit, factor in (("GB", 1 << 30), ("MB", 1 << 20), ("KB", 1 << 10)):
        if size >= factor:
            return f"{number(size / factor, 1)} {unit}"
    return _("%(n)s 字节") % {"n": number(size)}
