"""Name keys: spelling variants and transliterations of one name share a key.

"Zelenskyy", "Zelensky" and "Zelenskiy" share "zelensk"; "António Costa" and
"Antonio Costa" share "antonio cost". Used by the store to keep one entity per
person across articles. Plain string rules; nothing here knows about language models.
"""

from __future__ import annotations

import re
import unicodedata
from functools import cache, lru_cache

_ENDINGS = re.compile(r"(?:iy|yy|ij|yj|yi|ii|y|i|a|e)$")


# Letters that Unicode does not decompose into a base letter and an accent.
_UNDECOMPOSED = str.maketrans({"đ": "d", "Đ": "D", "ø": "o", "Ø": "O", "ł": "l", "Ł": "L", "ß": "ss",
                               "æ": "ae", "Æ": "Ae", "œ": "oe", "Œ": "Oe", "ı": "i", "þ": "th", "Þ": "Th",
                               "ð": "d", "Ð": "D", "ħ": "h", "Ħ": "H"})


def strip_accents(text: str) -> str:
    """'Đoàn Thị Hương' -> 'Doan Thi Huong', 'Łódź' -> 'Lodz'."""
    if text.isascii():
        return text
    text = unicodedata.normalize("NFKD", text.translate(_UNDECOMPOSED))
    return "".join(c for c in text if not unicodedata.combining(c))


def fold(name: str) -> str:
    name = strip_accents(name).lower()
    name = re.sub(r"['’`]s\b", "", name)
    return " ".join(re.findall(r"[a-z0-9]+", name))


def _single_letters(text: str) -> str:
    return re.sub(r"(.)\1+", r"\1", text)


def word_key(word: str) -> str:
    """A transliteration-tolerant key for one word: doubled letters single, common endings dropped."""
    w = _single_letters(word)
    w = w.replace("kh", "h").replace("ph", "f").replace("ck", "k").replace("w", "v")
    long_enough = len(w) > 4
    w = _single_letters(w)  # doubles the replacements made: 'Tyhkhi' -> 'tyhhi' -> 'tyhi', as 'Tykhyi'
    if long_enough:
        w = _ENDINGS.sub("", w)
    return w


@lru_cache(maxsize=100_000)  # pure, and asked again and again for the same names (coverage, upserts)
def name_key(name: str) -> str:
    return " ".join(word_key(w) for w in fold(name).split())


def consonants(key: str) -> str:
    """A given name's consonant outline, the part transliterations keep: 'volodymyr', 'vladimir' and
    'volodomyr' are all 'vldmr'; 'aleksandr' and 'alexander' 'lksndr'."""
    return _single_letters(re.sub(r"[aeiouy]", "", key.replace("x", "ks")))


MIN_OUTLINE = 5  # 'mchl' is Michael and Michelle, 'mrtn' Martin and Morton: four consonants tell too little


@cache
def _genders() -> dict[str, str]:
    """Given-name key -> 'm' or 'f' (data/given_names.tsv)."""
    from newsgraph import lexicon

    return {word_key(name): gender for name, gender in
            (line.split("\t", 1) for line in lexicon.phrases("given_names.tsv"))}


def same_given_name(a: str, b: str) -> bool:
    """Two given-name keys that are one name: equal, an initial of the other, or the same first letter
    and the same outline of at least MIN_OUTLINE consonants, unless they are known as a man's and a
    woman's name (data/given_names.tsv)."""
    if a == b:
        return True
    if a[:1] != b[:1]:
        return False
    if len(min(a, b, key=len)) <= 2:
        return True
    outline = consonants(a)
    if len(outline) < MIN_OUTLINE or outline != consonants(b):
        return False
    return len({g for name in (a, b) if (g := _genders().get(name))}) < 2


def same_person(a: str, b: str) -> bool:
    """Two person names that are spellings of one name: equal keys, one is the other's surname with
    the same key ('Zelensky' / 'Volodymyr Zelenskyy'), or the same surname key and given names that
    are transliterations of one name ('Vladimir Zelensky' / 'Volodymyr Zelenskyy')."""
    ka, kb = name_key(a).split(), name_key(b).split()
    if not ka or not kb:
        return False
    if ka == kb:
        return True
    if len(ka) == 1 or len(kb) == 1:
        return ka[-1] == kb[-1]
    return ka[-1] == kb[-1] and same_given_name(ka[0], kb[0])
