"""Pieces of a sentence put together in code (filters named in an export's note, "label：value"):
the punctuation is the language's — full-width in Chinese, ASCII with a space in English — so it
goes through gettext like the words around it."""

from django.utils.translation import gettext as _


def labelled(label, value) -> str:
    """ "设区市：杭州市" / "City: 杭州市"."""
    return _("%(label)s：%(value)s") % {"label": label, "value": value}


def clauses(parts) -> str:
    """Clauses of one sentence: "甲；乙" / "A; B"."""
    return _("；").join(str(p) for p in parts)
