"""Names a user gives (table rows, scenarios, uncertain inputs, outcome labels): visible text,
written one way.

A name is what ``--set sites.NAME.max_mw``, events, reports and tables refer to, so two names
that print alike would be two rows the eye cannot tell apart, and a name holding a character
that prints as nothing (a zero-width space, a direction mark pasted from a web page) is
referred to in vain by the name as it looks. :func:`name_problem` says what is wrong with one
name; :func:`twin_key` is the form in which two names that print alike -- differing only by
letter case or by Unicode form (``é`` as one character or as ``e`` and an accent) -- are equal,
and :func:`twins` says so of two of them.

The two joiners, ZERO WIDTH NON-JOINER (U+200C) and ZERO WIDTH JOINER (U+200D), are part of
real words: Persian and Indic scripts need the non-joiner (``نیم‌روز``), emoji sequences the
joiner (``👩‍💻lab``). As Unicode's identifier rules (UAX #31) allow them inside a word, a name
may hold one between two visible characters; at an end, next to white space or next to another
invisible character one would change nothing the eye sees, and is refused. The look-alike key
keeps them (a word with and without its non-joiner prints differently).
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable
from typing import Annotated

from pydantic import AfterValidator

#: Unicode categories that print as nothing or move the text around them: controls, format
#: characters (zero-width spaces and joiners, direction marks and overrides), line and
#: paragraph separators, private-use, surrogate and unassigned code points.
INVISIBLE = frozenset({"Cc", "Cf", "Zl", "Zp", "Co", "Cs", "Cn"})

#: ZERO WIDTH NON-JOINER and ZERO WIDTH JOINER: allowed between two visible characters.
JOINERS = frozenset({"\u200c", "\u200d"})

#: What a code point of a category without a character name is, in a message.
UNNAMED = {
    "Cn": "an unassigned code point",
    "Co": "a private-use character",
    "Cs": "a surrogate",
}


def _visible(char: str) -> bool:
    """``char`` prints as something: not white space, not of an :data:`INVISIBLE` category."""
    return not char.isspace() and unicodedata.category(char) not in INVISIBLE


def _joins(name: str, i: int) -> bool:
    """The character at ``i`` is a joiner between two visible characters (UAX #31)."""
    return (
        name[i] in JOINERS
        and 0 < i < len(name) - 1
        and _visible(name[i - 1])
        and _visible(name[i + 1])
    )


def name_problem(name: str) -> str | None:
    """What is wrong with ``name`` as a name (text ending in ``expected ...``), or None: it is
    empty or blank, has white space at an end, or holds an invisible character (named by its
    code point; the name is quoted with it escaped) other than a joiner between two visible
    characters (see the module docstring)."""
    if not name.strip():
        return f"{name!r}: expected a non-empty name"
    if name != name.strip():
        return f"{name!r} has white space at an end; expected the name without it"
    for i, char in enumerate(name):
        category = unicodedata.category(char)
        if category not in INVISIBLE or _joins(name, i):
            continue
        what = unicodedata.name(char, UNNAMED.get(category, "a control character"))
        if char in JOINERS:
            return (
                f"{name!r} holds U+{ord(char):04X} ({what}) at an end or next to white space or "
                "another invisible character; expected it only between two visible characters"
            )
        return (
            f"{name!r} holds the invisible character U+{ord(char):04X} ({what}); expected "
            "visible characters only (pasted from a web page or a document?)"
        )
    return None


def twin_key(name: str) -> str:
    """``name`` as the eye reads it: Unicode compatibility form (NFKC), letter case folded;
    two names with one key are twins."""
    return unicodedata.normalize("NFKC", unicodedata.normalize("NFKC", name).casefold())


def twins(a: str, b: str, things: str = "rows") -> str:
    """What is wrong with two names of ``things`` whose :func:`twin_key` is the same."""
    if a.casefold() == b.casefold():
        how = "differ only by letter case"
    else:
        how = (
            f"print alike but are written with different characters ({a!a} and {b!a}: an "
            "accent as part of its letter or apart, or a compatibility form)"
        )
    return (
        f"'{a}' and '{b}' {how}; expected each name once, in one spelling (names are "
        f"case-sensitive: these would be two {things}, one likely a typo)"
    )


def names_problem(names: Iterable[str], things: str) -> str | None:
    """What is wrong with the first of ``names`` (of ``things``) that is no name or prints like
    one before it (:func:`name_problem`, :func:`twins`), or None."""
    seen: dict[str, str] = {}
    for name in names:
        problem = name_problem(name)
        if problem:
            return problem
        other = seen.setdefault(twin_key(name), name)
        if other != name:
            return twins(other, name, things)
    return None


def _checked(name: str) -> str:
    problem = name_problem(name)
    if problem:
        raise ValueError(problem)
    return name


#: A schema field holding a name (an outcome's label): :func:`name_problem` refuses it.
Name = Annotated[str, AfterValidator(_checked)]
