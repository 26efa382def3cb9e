"""The language of the command-line tools (`chanjiao sync`, `chanjiao-hub`).

A tool takes `--lang` where it has one, else the locale of its environment: English when that
names English, Chinese otherwise, as in the app (an unset or C locale is common on the servers
and school machines these run on, and Chinese is the product's language).
"""

from __future__ import annotations

import os


def console_language(requested: str | None = None) -> str:
    """ "zh-CN" or "en": `requested`, else $LC_ALL, $LC_MESSAGES or $LANG, the first one set."""
    chosen = (
        requested
        or os.environ.get("LC_ALL")
        or os.environ.get("LC_MESSAGES")
        or os.environ.get("LANG")
        or "zh-CN"
    )
    return "en" if chosen.lower().startswith("en") else "zh-CN"


def is_zh(language: str) -> bool:
    return language.lower().startswith("zh")


def pick(zh: str, en: str, language: str | None = None) -> str:
    """`zh` or `en`, for `language` or else the environment's (console_language)."""
    return zh if is_zh(language or console_language()) else en


class Bilingual(Exception):
    """An error whose message exists in Chinese and English; str() is the environment's."""

    def __init__(self, zh: str, en: str) -> None:
        super().__init__(zh, en)
        self.zh = zh
        self.en = en

    def message(self, language: str | None = None) -> str:
        return pick(self.zh, self.en, language)

    def __str__(self) -> str:
        return self.message()
