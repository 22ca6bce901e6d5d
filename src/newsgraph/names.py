"""Name keys: spelling variants and transliterations of one name share a key.

"Zelenskyy", "Zelensky" and "Zelenskiy" share "zelensk"; "António Costa" and
"Antonio Costa" share "antonio cost". Used by the store to keep one entity per
person across articles. Plain string rules; nothing here knows about language models.
"""

from __future__ import annotations

import re
import unicodedata

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


def word_key(word: str) -> str:
    """A transliteration-tolerant key for one word: doubled letters single, common endings dropped."""
    w = re.sub(r"(.)\1+", r"\1", word)
    w = w.replace("kh", "h").replace("ph", "f").replace("ck", "k").replace("w", "v")
    if len(w) > 4:
        w = _ENDINGS.sub("", w)
    return w


def name_key(name: str) -> str:
    return " ".join(word_key(w) for w in fold(name).split())


def same_person(a: str, b: str) -> bool:
    """Two person names that are spellings of one name: equal keys, or one is the other's surname
    with the same key ('Zelensky' / 'Volodymyr Zelenskyy')."""
    ka, kb = name_key(a).split(), name_key(b).split()
    if not ka or not kb:
        return False
    if ka == kb:
        return True
    if len(ka) == 1 or len(kb) == 1:
        return ka[-1] == kb[-1]
    return ka[-1] == kb[-1] and (ka[0] == kb[0] or ka[0][:1] == kb[0][:1] and len(min(ka[0], kb[0])) <= 2)
