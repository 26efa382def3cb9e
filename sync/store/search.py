"""Full-text search that works for Chinese: what is indexed for a record, and the MATCH query
for what the user typed.

The trigram tokenizer finds any substring of three characters or more, in Chinese as in Latin
text, but nothing shorter; Chinese names are two or three characters, so a second index holds
the overlapping two-character "words" of names and short texts (and the single last character)
and answers one- and two-character queries by prefix. Pinyin initials of names (张三 → zs) go in
both indexes.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable
from functools import lru_cache
from typing import Any

from forms import FieldDef, FieldType
from sync.store.schema import FormTable

_TEXT_TYPES = frozenset({FieldType.TEXT, FieldType.LONG_TEXT})


def _first_letters(text: str) -> str:
    # Imported here: pypinyin takes 0.4-1.4 s to import, which the app's start must not pay;
    # only the first name that needs initials does.
    from pypinyin import Style, lazy_pinyin

    return "".join(lazy_pinyin(text, style=Style.FIRST_LETTER)).lower()


@lru_cache(maxsize=1)
def _readings() -> dict[int, str]:
    from pypinyin.constants import PINYIN_DICT

    readings: dict[int, str] = PINYIN_DICT
    return readings


def load_pinyin() -> None:
    """Import pypinyin and its dictionary now (about a second of CPU): an app calls it on a
    background thread after its window shows, so the first save of a session does not pay it
    while holding the write lock."""
    initials("张")


@lru_cache(maxsize=16384)
def _char_initial(char: str) -> str:
    return _first_letters(char)


@lru_cache(maxsize=65536)
def _segment_initials(segment: str) -> str:
    return _first_letters(segment)


def _segments(text: str) -> list[str]:
    from pypinyin.seg.simpleseg import seg

    segments: list[str] = seg(text)
    return segments


@lru_cache(maxsize=65536)
def initials(text: str) -> str:
    """`张三丰` → `zsf`, as pypinyin's lazy_pinyin gives them; other characters are kept,
    lower-cased. lazy_pinyin costs 30-50 µs a name (most of a pulled record's cost when its
    names are new), so: text whose characters each have one reading is done character by
    character (cached); other text is cut into the same segments as lazy_pinyin cuts it (its
    phrases and single characters, ~4 µs), each of which it converts on its own (cached),
    so that a character with several readings reads as in its phrase (重庆长安 → cqca)."""
    if text.isascii():
        return text.lower()
    readings = _readings()
    if any("," in readings.get(ord(char), "") for char in text):
        return "".join(_segment_initials(segment) for segment in _segments(text))
    return "".join(_char_initial(char) if ord(char) in readings else char.lower() for char in text)


@lru_cache(maxsize=65536)
def _bigram_words(text: str) -> str:
    words: list[str] = []
    for chunk in text.lower().split():
        words.extend(chunk[i : i + 2] for i in range(len(chunk) - 1))
        words.append(chunk[-1])
    return " ".join(words)


def _searchable(fields: Iterable[FieldDef]) -> list[FieldDef]:
    return [f for f in fields if f.searchable and f.type in _TEXT_TYPES]


class SearchDocument:
    """The indexed text of one record of a form: (text, initials) and the bigram words.

    Initials are made for the names a list shows (searchable text list columns: the student,
    the teacher, the enterprise, the base): that is what users type initials of."""

    def __init__(self, table: FormTable) -> None:
        searchable = _searchable(table.scalars)
        self._named = [f.name for f in searchable if f.list_column and f.type is FieldType.TEXT]
        self._short = [f.name for f in searchable if f.type is FieldType.TEXT]
        self._long = [f.name for f in searchable if f.type is not FieldType.TEXT]
        self._groups = [(g.name, [c.name for c in _searchable(g.fields)]) for g in table.groups]
        self._groups = [(name, children) for name, children in self._groups if children]

    def entries(self, values: dict[str, Any]) -> tuple[str, str, str]:
        # filter and map rather than comprehensions: run for every pulled record, they are
        # a third of the cost of its entries.
        short_texts = list(filter(None, map(values.get, self._short)))
        for group, children in self._groups:
            for row in values.get(group) or ():
                short_texts.extend(filter(None, map(row.get, children)))
        long_texts = list(filter(None, map(values.get, self._long)))
        name_initials = list(map(initials, filter(None, map(values.get, self._named))))
        words = " ".join(map(_bigram_words, short_texts + name_initials))
        # Lower-cased here, as the indexes fold case (full-width and accented letters too),
        # so that a search matches a waiting entry as it does an indexed one (pending_condition).
        text = "\n".join(short_texts + long_texts).lower()
        return text, " ".join(name_initials), words


def _typed_query(query: str) -> str:
    """What the user typed, as the indexes hold text: control characters (which no saved text
    has, and which end an FTS5 query string early: a NUL is "unterminated string") as spaces,
    runs of spaces as one, lower case."""
    cleaned = "".join(" " if unicodedata.category(c) == "Cc" else c for c in query)
    return " ".join(cleaned.split()).lower()


def _phrase(query: str) -> str:
    return '"' + query.replace('"', '""') + '"'


def pending_condition(query: str) -> tuple[str, list[str]]:
    """(condition on a `_search_pending` row, its parameter): what match_query's MATCH finds,
    for records whose entries are not in the indexes yet. The entries are lower-cased in
    Python (SearchDocument.entries), whose case folding of full-width and accented letters
    agrees with the indexes' where SQLite's lower() folds ASCII only."""
    query = _typed_query(query)
    if len(query) >= 3:
        return "(instr(p.text, ?) OR instr(p.initials, ?))", [query, query]
    # The short index's words, each a prefix match.
    return "instr(' ' || p.words, ' ' || ?)", [query]


def match_query(query: str) -> tuple[str, str] | None:
    """(table suffix, MATCH expression) for what the user typed, or None when it is blank.

    Three characters and more: a trigram phrase over the text and the initials. Fewer: a
    prefix query over the bigram words, which are all two characters long or a last one."""
    query = _typed_query(query)
    if not query:
        return None
    if len(query) >= 3:
        return "__search", _phrase(query)
    return "__search_short", _phrase(query) + " *"
