"""Personal data masked in texts before they are stored, for a dataset that asks for it: e-mail
addresses, phone numbers, payment card numbers, IBANs and IP addresses become `[email]`,
`[phone]`, `[card]`, `[iban]` and `[ip]`, and each author a pseudonym (`author-3f9c1e0a2b7d`,
the same for the same author in one dataset, from a key of the dataset's). Masking a masked
text again changes nothing: the masks hold neither digits nor "@", and a pseudonym stays.

What is masked is found, not guessed at: phone numbers are those `phonenumbers` (Google's
libphonenumber) finds valid, in international form (`+43 660 1234567`) or in the national form
of the dataset's region; card numbers pass the Luhn check, IBANs their check digits (`stdnum`),
IP addresses `ipaddress`. Dates, times, prices and most order numbers stay. Names of people in
the texts are not found (that would take a model of names), nor street addresses.
"""

import hashlib
import hmac
import ipaddress
import re
from collections.abc import Callable
from dataclasses import dataclass

import phonenumbers
from stdnum import iban, luhn

EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)*\.[^\W\d_]{2,}")
IBAN = re.compile(r"\b[A-Z]{2}\d{2}(?: ?[A-Z0-9]){11,30}\b")
CARD = re.compile(r"(?<![\d-])\d(?:[ -]?\d){12,18}(?![\d-])")
IP = re.compile(
    r"(?<![\w.:])(?:(?:\d{1,3}\.){3}\d{1,3}|[0-9a-fA-F]{0,4}(?::[0-9a-fA-F]{0,4}){2,7})(?![\w.:])"
)
DIGIT = re.compile(r"\d")
PHONE_DIGITS = re.compile(r"(?:\d[^\d\n]{0,3}){6}\d")  # 7 digits close together, at least
# dates and times, whose digits are close together too: no reason to look for a phone number
DATES = re.compile(r"\d{4}-\d\d-\d\d(?:[T ]\d\d:\d\d(?::\d\d)?)?|\b\d\d?[./]\d\d?[./]\d{2,4}\b")
PSEUDONYM = re.compile(r"author-[0-9a-f]{12}")


@dataclass(frozen=True, slots=True)
class Masker:
    region: str  # where a phone number written without its country code is (ISO 3166)
    key: bytes  # the dataset's: its authors' pseudonyms

    def text(self, text: str) -> str:
        """`text` with its personal data masked."""
        if "@" in text:
            text = EMAIL.sub("[email]", text)
        if not DIGIT.search(text):
            return text  # most texts: nothing more to find
        text = IBAN.sub(_iban_masked, text)
        text = CARD.sub(lambda found: _checked(found, _is_card, "[card]"), text)
        text = IP.sub(lambda found: _checked(found, _is_ip, "[ip]"), text)
        if PHONE_DIGITS.search(DATES.sub(" ", text)):
            text = self._without_phones(text)
        return text

    def author(self, author: str | None) -> str | None:
        """A pseudonym of `author` (the same whatever its case), or None for none; a pseudonym
        stays as it is, so that masking texts twice changes nothing."""
        if author is None or PSEUDONYM.fullmatch(author):
            return author
        digest = hmac.new(self.key, author.strip().casefold().encode(), hashlib.sha256)
        return f"author-{digest.hexdigest()[:12]}"

    def _without_phones(self, text: str) -> str:
        found = phonenumbers.PhoneNumberMatcher(
            text, self.region, leniency=phonenumbers.Leniency.VALID
        )
        spans = [(match.start, match.end) for match in found]
        for start, end in reversed(spans):
            text = f"{text[:start]}[phone]{text[end:]}"
        return text


def is_region(code: str) -> bool:
    """Whether `code` is a region phone numbers know ("US", "AT", "GB")."""
    return code in phonenumbers.SUPPORTED_REGIONS


def _checked(found: re.Match[str], valid: Callable[[str], bool], mask: str) -> str:
    return mask if valid(found.group()) else found.group()


def _iban_masked(found: re.Match[str]) -> str:
    """The IBAN at the start of `found` masked (the pattern may take in a word in capitals
    after it: the longest start that is an IBAN is one), or `found` as it is."""
    value = found.group()
    for end in range(len(value), 14, -1):
        if value[end - 1] != " " and iban.is_valid(value[:end]):
            return f"[iban]{value[end:]}"
    return value


def _is_card(value: str) -> bool:
    return luhn.is_valid(value.replace(" ", "").replace("-", ""))


def _is_ip(value: str) -> bool:
    if not any(character.isalnum() for character in value):
        return False  # "::", a run of colons
    try:
        ipaddress.ip_address(value)
    except ValueError:
        return False
    return True
