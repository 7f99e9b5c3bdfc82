"""Personal data masked in texts: what is found and masked, what stays, and the pseudonyms."""

import pytest

from emolytics.engine.personal_data import Masker, is_region

US = Masker("US", b"a key of the dataset's")


@pytest.mark.parametrize(
    ("text", "masked"),
    [
        ("Write to ana.lopez+tram@example.co.uk today", "Write to [email] today"),
        ("Call +43 660 1234567 or (415) 867-5309!", "Call [phone] or [phone]!"),
        ("ring 415.867.5309", "ring [phone]"),
        ("on 12.03.2026 at 10:30 call +43 660 1234567", "on 12.03.2026 at 10:30 call [phone]"),
        ("2026-12-03T10:30:00 (415) 867-5309", "2026-12-03T10:30:00 [phone]"),
        ("Paid with 4111 1111 1111 1111, refund please", "Paid with [card], refund please"),
        ("card 4111-1111-1111-1111 2026", "card [card] 2026"),
        ("Refund to AT61 1904 3002 3457 3201 THANKS", "Refund to [iban] THANKS"),
        ("IBAN DE89370400440532013000.", "IBAN [iban]."),
        ("blocked from 192.168.1.20 and fe80::1ff:fe23:4567:890a", "blocked from [ip] and [ip]"),
        # numbers that are no personal data stay
        (
            "At 12:30:45 on 2026-12-03 I paid $1,234.56",
            "At 12:30:45 on 2026-12-03 I paid $1,234.56",
        ),
        ("order 1234567890, ticket #4815162342", "order 1234567890, ticket #4815162342"),
        ("card 4111-1111-1111-1112 (a typo)", "card 4111-1111-1111-1112 (a typo)"),
        ("version 1.2.3.4.5 at 10:30 on 12.03.2026", "version 1.2.3.4.5 at 10:30 on 12.03.2026"),
        ("the tram :: again @ 5", "the tram :: again @ 5"),
        ("I love the new tram 😍", "I love the new tram 😍"),
    ],
)
def test_personal_data_is_masked_and_nothing_else(text, masked):
    assert US.text(text) == masked


def test_a_national_number_is_read_in_the_datasets_region():
    austrian = "Ruf mich an: 0660 1234567"
    assert US.text(austrian) == austrian
    assert Masker("AT", b"k").text(austrian) == "Ruf mich an: [phone]"
    assert is_region("AT") and not is_region("XX") and not is_region("at")


def test_an_author_has_one_pseudonym_in_a_dataset_and_another_elsewhere():
    ana = US.author("Ana")
    assert ana.startswith("author-") and len(ana) == len("author-") + 12
    assert US.author(" ana ") == ana and US.author("Ben") != ana
    assert Masker("US", b"another dataset's key").author("Ana") != ana
    assert US.author(None) is None
