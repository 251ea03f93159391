import random

import pytest
from django.core.exceptions import ValidationError

from accounts.uscc import ALPHABET, check_character, is_valid, validate_uscc

# Codes in public circulation; each passes the GB 32100-2015 check.
KNOWN_VALID = ["91350100M000100Y43", "91110000600037341L", "91330000142916567N"]


@pytest.mark.parametrize("code", KNOWN_VALID)
def test_known_codes_pass_the_check_character(code):
    assert is_valid(code)
    validate_uscc(code)


@pytest.mark.parametrize("code", KNOWN_VALID)
def test_any_other_check_character_is_refused(code):
    for ch in ALPHABET:
        if ch != code[-1]:
            assert not is_valid(code[:-1] + ch)


def test_a_single_changed_character_is_caught():
    rng = random.Random(4754)
    for _ in range(500):
        first17 = "".join(rng.choice(ALPHABET) for _ in range(17))
        code = first17 + check_character(first17)
        pos = rng.randrange(17)
        other = rng.choice([c for c in ALPHABET if c != code[pos]])
        assert not is_valid(code[:pos] + other + code[pos + 1 :])


@pytest.mark.parametrize(
    ("code", "message"),
    [
        ("9135010", "18位"),
        ("91350100M000100I43", "不含 I、O、Z、S、V"),
        ("91350100m000100y43", "大写字母"),
        ("91350100M000100Y44", "校验位"),
    ],
)
def test_refusals_say_why_in_chinese(code, message):
    with pytest.raises(ValidationError) as err:
        validate_uscc(code)
    assert message in err.value.messages[0]
