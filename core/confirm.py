"""Confirmation before an irreversible or heavy action (submit, send to the province, return,
reject, withdraw, publish, remove a list entry, open publicity, refuse a registration, open the
year's dynamic management).

The pattern has three parts, reusable by any page:
- the form includes `confirm/_step.html` with the summary of what will happen (hidden; the
  dialog's text when JavaScript runs);
- the view calls `confirmation_page(request, …)` before acting: without the `confirmed` field it
  answers a page that repeats the summary and re-posts the same fields with `confirmed=yes`
  (works without JavaScript); with the field it returns None and the view acts;
- static/js/confirm.js opens the summary in a <dialog> and posts the form once, confirmed; a
  value the person types in the same form (a date, a reason) is named in `values`, and the dialog
  shows what is in the field when it opens.
The server refuses the action without the field either way: a forged one-click post only ever
gets the confirmation page."""

from dataclasses import dataclass, field

from django.shortcuts import render

CONFIRM_FIELD = "confirmed"
CONFIRM_VALUE = "yes"
_NOT_REPOSTED = {"csrfmiddlewaretoken", CONFIRM_FIELD}


@dataclass
class ConfirmValue:
    """One value the action takes from its form, shown as "label: text". `field` names the form's
    field: the dialog shows what the person has typed there (a date as a date), or `empty` when
    the field is left blank; the confirmation page shows `text`, the value the server will use."""

    label: str
    field: str
    text: str
    empty: str = ""


@dataclass
class Confirmation:
    """What the person is asked to confirm: a title, the sentences that say what will happen, an
    optional list (the units concerned), the values taken from the form (dates, the reason), the
    button's words, and where "cancel" leads."""

    title: str
    summary: list[str]
    action_label: str
    cancel_url: str
    items: list[str] = field(default_factory=list)
    values: list[ConfirmValue] = field(default_factory=list)
    danger: bool = False


def is_confirmed(request) -> bool:
    return request.POST.get(CONFIRM_FIELD) == CONFIRM_VALUE


def confirmation_page(request, confirmation: Confirmation):
    """None when the post carries the confirmation; otherwise the confirmation page (the same
    fields posted back to the same address, plus `confirmed=yes`)."""
    if is_confirmed(request):
        return None
    fields = [
        (name, value)
        for name in request.POST
        if name not in _NOT_REPOSTED
        for value in request.POST.getlist(name)
    ]
    return render(
        request,
        "confirm/page.html",
        {"confirmation": confirmation, "fields": fields, "action": request.get_full_path()},
    )
