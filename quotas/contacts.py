"""The batch's contacts (通知's 联系人 line): one list, each a department, a name and a telephone.
The first is the one the joint notice prints (GB/T 9704-2012 7.3.7); the front page and the
applicant's receipt show them all."""

import re

from django.utils.translation import gettext as _

# A telephone as notices write them: 0571-87058126, 15384006412, 0571-8705 8126 is two words.
PHONE = re.compile(r"^\+?[0-9][0-9\-()（）转]{4,24}$")


def contact_text(contact: dict) -> str:
    """One contact on one line, as the form shows and the history records it."""
    return " ".join(part for part in (contact.get(k, "") for k in ("department", "name", "phone")) if part)


def contacts_text(contacts: list[dict]) -> str:
    return "\n".join(contact_text(c) for c in contacts)


def contacts_parse(text: str) -> list[dict]:
    """Lines of "处室或单位 姓名 电话" (the department may be left out) → contacts. Raises
    ValueError with the reason in Chinese, naming the line."""
    contacts = []
    for number, line in enumerate((text or "").splitlines(), start=1):
        words = line.split()
        if not words:
            continue
        if len(words) < 2 or not PHONE.match(words[-1]):
            raise ValueError(
                _("第%(n)d行须写明姓名和电话，以空格分隔，例如：绿色制造处 刘松 0571-87058126")
                % {"n": number}
            )
        contacts.append({"department": " ".join(words[:-2]), "name": words[-2], "phone": words[-1]})
    return contacts
