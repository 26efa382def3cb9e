"""Full-text search that works for Chinese: what is indexed for a record, and the MATCH query
for what the user typed.

The trigram tokenizer finds any substring of three characters or more, in Chinese as in Latin
text, but nothing shorter; Chinese names are two or three characters, so a second index holds
the overlapping two-character "words" of names and short texts (and the single last character)
and answers one- and two-character queries by prefix. Pinyin initials of names (张三 → zs) go in
both indexes.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable
from functools import lru_cache

from pypinyin import Style, lazy_pinyin
from pypinyin.constants import PINYIN_DICT

from forms import FieldDef, FieldType
from sync.store.schema import FormTable, quote

_TEXT_TYPES = frozenset({FieldType.TEXT, FieldType.LONG_TEXT})


@lru_cache(maxsize=16384)
def _char_initial(char: str) -> str:
    return "".join(lazy_pinyin(char, style=Style.FIRST_LETTER)).lower()


@lru_cache(maxsize=65536)
def _phrase_initials(text: str) -> str:
    return "".join(lazy_pinyin(text, style=Style.FIRST_LETTER)).lower()


@lru_cache(maxsize=65536)
def initials(text: str) -> str:
    """`张三丰` → `zsf`, as pypinyin's lazy_pinyin gives them; other characters are kept,
    lower-cased. Text whose characters each have one reading is done character by character
    (cached): whole-phrase conversion costs ~50 µs a name, too slow for pulling 100,000."""
    if any("," in PINYIN_DICT.get(ord(char), "") for char in text):
        return _phrase_initials(text)
    return "".join(
        _char_initial(char) if ord(char) in PINYIN_DICT else char.lower() for char in text
    )


@lru_cache(maxsize=65536)
def _bigram_words(text: str) -> str:
    words: list[str] = []
    for chunk in text.lower().split():
        words.extend(chunk[i : i + 2] for i in range(len(chunk) - 1))
        words.append(chunk[-1])
    return " ".join(words)


def _searchable(fields: Iterable[FieldDef]) -> list[FieldDef]:
    return [f for f in fields if f.searchable and f.type in _TEXT_TYPES]


def _name_initials(*names: str | None) -> str:
    return " ".join(initials(name) for name in names if name)


def _words(*texts: str | None) -> str:
    return " ".join(_bigram_words(text) for text in texts if text)


def register_functions(conn: sqlite3.Connection) -> None:
    """The Python functions the index statements call (cached per distinct string: names
    repeat a lot)."""
    conn.create_function("store_initials", -1, _name_initials, deterministic=True)
    conn.create_function("store_words", -1, _words, deterministic=True)


def _lines(columns: Iterable[str]) -> str:
    """SQL for the non-empty values of `columns`, one a line (NULL when all are empty)."""
    joined = " || ".join(f"ifnull(nullif({column}, '') || char(10), '')" for column in columns)
    joined = joined or "''"
    return f"nullif(rtrim({joined}, char(10)), '')"


class SearchDocument:
    """The statements that index records of a form, straight from its tables: (text, initials)
    in the trigram index, bigram words in the short one.

    Initials are made for the names a list shows (searchable text list columns: the student,
    the teacher, the enterprise, the base): that is what users type initials of."""

    def __init__(self, table: FormTable) -> None:
        searchable = _searchable(table.scalars)
        named = [
            f"t.{quote(f.name)}" for f in searchable if f.list_column and f.type is FieldType.TEXT
        ]
        short = [f"t.{quote(f.name)}" for f in searchable if f.type is FieldType.TEXT]
        for group in table.groups:
            children = [f"c.{quote(c.name)}" for c in _searchable(group.fields)]
            if children:
                short.append(
                    f"(SELECT group_concat({_lines(children)}, char(10)) FROM "
                    f"(SELECT * FROM {quote(table.child_table(group))} AS c "
                    "WHERE c._record = t._id ORDER BY c._position) AS c)"
                )
        long = [f"t.{quote(f.name)}" for f in searchable if f.type is not FieldType.TEXT]
        short_text = _lines(short)
        name_initials = f"store_initials({', '.join(named)})" if named else "''"
        source = f"FROM {quote(table.name)} AS t WHERE t._id IN"
        self.text_sql = (
            f"INSERT INTO {quote(table.search_table)} (rowid, text, initials) "
            f"SELECT t._key, ifnull({_lines([short_text, *long])}, ''), {name_initials} {source}"
        )
        self.words_sql = (
            f"INSERT INTO {quote(table.short_search_table)} (rowid, grams) "
            f"SELECT t._key, store_words({', '.join([*short, name_initials])}) {source}"
        )


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
