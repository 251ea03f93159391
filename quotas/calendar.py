"""The batch's working-day calendar: statutory holidays (法定节假日) that fall on weekdays and the
weekend days worked in their place (调休上班日), as the State Council publishes them each year.
They are data on the batch; a publicity length in working days (通知 二(四): 5 working days is the
usual 公示期) counts by them."""

import datetime

from django.utils.translation import gettext as _

RANGE_MARKS = ("~", "～", "至")


def dates_text(dates: list[str]) -> str:
    """The stored ISO dates as the settings form shows them, one per line."""
    return "\n".join(dates)


def dates_parse(text: str) -> list[str]:
    """Lines of "2025-10-01" or a range "2025-10-01~2025-10-08" → sorted ISO dates without
    repeats. Raises ValueError with the reason in Chinese, naming the line."""
    days: set[datetime.date] = set()
    for number, line in enumerate((text or "").splitlines(), start=1):
        line = line.strip()
        if not line:
            continue
        for mark in RANGE_MARKS:
            line = line.replace(mark, "~")
        parts = [p.strip() for p in line.split("~")]
        try:
            if len(parts) > 2:
                raise ValueError
            first = datetime.date.fromisoformat(parts[0])
            last = datetime.date.fromisoformat(parts[-1])
        except ValueError:
            raise ValueError(
                _("第%(n)d行不是有效日期，请写成2025-10-01，或日期范围2025-10-01~2025-10-08。")
                % {"n": number}
            ) from None
        if last < first or (last - first).days > 31:
            raise ValueError(_("第%(n)d行的日期范围须从前到后，且不超过31天。") % {"n": number})
        days.update(first + datetime.timedelta(days=i) for i in range((last - first).days + 1))
    return [d.isoformat() for d in sorted(days)]


def dates_clean(value) -> list[str]:
    """What a data file or the API sends (a list of dates or lines of text) → sorted ISO dates."""
    if isinstance(value, str):
        return dates_parse(value)
    if not isinstance(value, list | tuple):
        raise ValueError(_("请按每行一个日期填写。"))
    return dates_parse("\n".join(str(v) for v in value))
