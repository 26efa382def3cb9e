"""Full-text search that works for Chinese: what is indexed for a record, and the MATCH query
for what the user typed.

The trigram tokenizer finds any substring of three characters or more, in Chinese as in Latin
text, but nothing shorter; Chinese names are two or three characters, so a second index holds
the overlapping two-character "words" of names and short texts (and the single last character)
and answers one- and two-character queries by prefix. Pinyin initials of names (张三 → zs) go in
both indexes.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import lru_cache
from typing import Any

from pypinyin import Style, lazy_pinyin

from forms import FieldDef, FieldType
from sync.store.schema import FormTable

_SHORT_TEXT_TYPES = frozenset({FieldType.TEXT})
_TEXT_TYPES = frozenset({FieldType.TEXT, FieldType.LONG_TEXT})


@lru_cache(maxsize=65536)
def initials(text: str) -> str:
    """`张三丰` → `zsf`; runs of Latin letters and digits are kept whole, lower-cased."""
    return "".join(lazy_pinyin(text, style=Style.FIRST_LETTER, errors="default")).lower()


def _bigram_words(text: str) -> list[str]:
    words: list[str] = []
    for chunk in text.lower().split():
        words.extend(chunk[i : i + 2] for i in range(len(chunk) - 1))
        words.append(chunk[-1])
    return words


def _searchable(fields: Iterable[FieldDef]) -> list[FieldDef]:
    return [f for f in fields if f.searchable and f.type in _TEXT_TYPES]


class SearchDocument:
    """The indexed text of one record of a form: (text, initials) and the bigram words."""

    def __init__(self, table: FormTable) -> None:
        self._top = _searchable(table.scalars)
        self._groups = [(g.name, _searchable(g.fields)) for g in table.groups]
        self._groups = [(name, children) for name, children in self._groups if children]

    def entries(self, values: dict[str, Any]) -> tuple[str, str, str]:
        long_texts: list[str] = []
        short_texts: list[str] = []

        def take(field: FieldDef, value: Any) -> None:
            if isinstance(value, str) and value:
                (short_texts if field.type in _SHORT_TEXT_TYPES else long_texts).append(value)

        for field in self._top:
            take(field, values.get(field.name))
        for name, children in self._groups:
            for row in values.get(name) or ():
                for child in children:
                    take(child, row.get(child.name))
        name_initials = [initials(text) for text in short_texts]
        words = [w for text in short_texts + name_initials for w in _bigram_words(text)]
        text = "\n".join(short_texts + long_texts)
        return text, " ".join(name_initials), " ".join(words)


def _phrase(query: str) -> str:
    return '"' + query.replace('"', '""') + '"'


def match_query(query: str) -> tuple[str, str] | None:
    """(table suffix, MATCH expression) for what the user typed, or None when it is blank.

    Three characters and more: a trigram phrase over the text and the initials. Fewer: a
    prefix query over the bigram words, which are all two characters long or a last one."""
    query = " ".join(query.split()).lower()
    if not query:
        return None
    if len(query) >= 3:
        return "__search", _phrase(query)
    return "__search_short", _phrase(query) + " *"
