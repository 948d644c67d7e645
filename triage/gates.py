"""Which words a phrase pattern's match must contain, so that a text without any of them is not scanned.

Most phrase patterns are alternations of `\\b`-anchored wordings ("\\b(?:severe|intense)\\s+pain"). Python's
regular-expression engine cannot skip ahead for those and tries every alternative at every position: a
4,000-character note cost about 0.3 ms per pattern. For each alternative the gate is the most selective
piece every match of it contains: a run of literal text ("pain" above), or a group that is always
present, by its own gate words ("severe", "intense"). A pattern can only match a text that contains,
lower-cased, one of its alternatives' gate words, and a substring test is far cheaper than the scan. An
alternative with no such piece (only character classes, optional parts) leaves the pattern ungated: it
is always scanned. A test checks, on every
published case and statement, that gating never hides a match (tests/triage/test_triage_contract.py).
"""

from __future__ import annotations

from dataclasses import dataclass

OPTIONAL_AFTER = frozenset("?*")
GROUP_OPENERS = ("(?:", "(?i:", "(?-i:")
ZERO_WIDTH_OPENERS = ("(?<!", "(?<=", "(?=", "(?!")
MIN_PREFIX = 2  # a gate word shorter than this passes any note


@dataclass
class _Item:
    kind: str  # "literal", "group", "other"
    text: str = ""  # literal text, or the group's inner pattern
    optional: bool = False


def gate_words(patterns: tuple[str, ...]) -> frozenset[str] | None:
    """Lower-cased words, one of which every match of any of the patterns contains; None: no gate."""
    words: set[str] = set()
    for pattern in patterns:
        found = _gate(pattern)
        if found is None:
            return None
        words |= found
    return frozenset(words)


def _gate(pattern: str) -> set[str] | None:
    alternatives = _split_top(pattern)
    if alternatives is None:
        return None
    words: set[str] = set()
    for alternative in alternatives:
        found = _alternative_gate(alternative)
        if found is None:
            return None
        words |= found
    return words


def _alternative_gate(alternative: str) -> set[str] | None:
    """Of the pieces every match contains — a literal run, or a group that is always present (one of its
    own gate words) — the most selective: the one whose shortest word is longest."""
    items = _items(alternative)
    if items is None:
        return None
    candidates: list[set[str]] = []
    for item in items:
        if item.optional:
            continue
        if item.kind == "literal" and len(item.text) >= MIN_PREFIX:
            candidates.append({item.text.lower()})
        elif item.kind == "group":
            found = _gate(item.text)
            if found:
                candidates.append(found)
    if not candidates:
        return None
    best = max(candidates, key=lambda words: (min(len(word) for word in words), -len(words)))
    return best if min(len(word) for word in best) >= MIN_PREFIX else None


def _items(pattern: str) -> list[_Item] | None:
    items: list[_Item] = []
    index = 0
    while index < len(pattern):
        char = pattern[index]
        if char == "\\":
            if index + 1 >= len(pattern):
                return None
            following = pattern[index + 1]
            if following.isalnum():
                zero_width = following in "bB"
                items.append(_Item("other", "zero-width" if zero_width else ""))
            else:
                _append_literal(items, following)
            index += 2
        elif char == "(":
            close = _close(pattern, index)
            if close is None:
                return None
            opener = next((o for o in GROUP_OPENERS if pattern.startswith(o, index)), None)
            if pattern.startswith(ZERO_WIDTH_OPENERS, index):
                items.append(_Item("other", "zero-width"))
            elif opener is not None:
                items.append(_Item("group", pattern[index + len(opener) : close]))
            else:
                items.append(_Item("other"))
            index = close + 1
        elif char == "[":
            end = _class_end(pattern, index)
            if end is None:
                return None
            items.append(_Item("other"))
            index = end + 1
        elif char in "?*+{":
            if not items:
                return None
            index = _quantify(items, pattern, index)
            if index < 0:
                return None
        elif char in ".^$|)":
            items.append(_Item("other"))
            index += 1
        else:
            _append_literal(items, char)
            index += 1
    return items


def _append_literal(items: list[_Item], char: str) -> None:
    if items and items[-1].kind == "literal" and not items[-1].optional:
        items[-1].text += char
    else:
        items.append(_Item("literal", char))


def _quantify(items: list[_Item], pattern: str, index: int) -> int:
    """Apply the quantifier at `index` to the last item; the index after it (-1: unreadable)."""
    char = pattern[index]
    minimum = 1
    end = index + 1
    if char == "{":
        close = pattern.find("}", index)
        if close < 0:
            return -1
        low = pattern[index + 1 : close].split(",")[0].strip()
        minimum = int(low) if low.isdigit() else 0
        end = close + 1
    elif char in OPTIONAL_AFTER:
        minimum = 0
    if end < len(pattern) and pattern[end] in "?+":  # lazy or possessive
        end += 1
    if minimum == 0:
        last = items[-1]
        if last.kind == "literal" and len(last.text) > 1:
            # "pains?": only the last character is optional.
            last.text, tail = last.text[:-1], last.text[-1]
            items.append(_Item("literal", tail, optional=True))
        else:
            last.optional = True
    return end


def _class_end(pattern: str, index: int) -> int | None:
    position = index + 1
    if position < len(pattern) and pattern[position] == "^":
        position += 1
    if position < len(pattern) and pattern[position] == "]":
        position += 1
    while position < len(pattern):
        if pattern[position] == "\\":
            position += 2
            continue
        if pattern[position] == "]":
            return position
        position += 1
    return None


def _structure(pattern: str, index: int = 0) -> list[tuple[int, str, int]] | None:
    """(position, character, depth) of each parenthesis and "|" from `index` on, skipping escapes and
    character classes; depth counts the groups open before the character (None: an unterminated class)."""
    found: list[tuple[int, str, int]] = []
    depth = 0
    position = index
    while position < len(pattern):
        char = pattern[position]
        if char == "\\":
            position += 2
            continue
        if char == "[":
            end = _class_end(pattern, position)
            if end is None:
                return None
            position = end + 1
            continue
        if char == ")":
            depth -= 1
        if char in "()|":
            found.append((position, char, depth))
        if char == "(":
            depth += 1
        position += 1
    return found


def _close(pattern: str, index: int) -> int | None:
    """The index of the parenthesis closing the group that opens at `index`."""
    structure = _structure(pattern, index) or []
    return next((at for at, char, depth in structure if char == ")" and depth == 0), None)


def _split_top(pattern: str) -> list[str] | None:
    """The pattern's top-level alternatives (None: unbalanced)."""
    structure = _structure(pattern)
    if structure is None or sum({"(": 1, ")": -1}.get(char, 0) for _, char, _ in structure) != 0:
        return None
    bars = [at for at, char, depth in structure if char == "|" and depth == 0]
    return [pattern[start + 1 : end] for start, end in zip([-1, *bars], [*bars, len(pattern)], strict=True)]


# Escapes whose class contains the full stop, and anchors that need the real end of the text.
_ESCAPES_WITH_STOP = frozenset("WSDZ")


def stays_within_sentences(pattern: str) -> bool:
    """True when no match of the pattern, lookarounds included, can contain or look at a full stop, nor needs
    the real end of the text ($, \\Z): its matches in a text are then exactly its matches in each full-stop-
    delimited piece of it. Conservative: anything it cannot read counts as crossing."""
    index = 0
    while index < len(pattern):
        char = pattern[index]
        if char == "\\":
            if index + 1 >= len(pattern):
                return False
            following = pattern[index + 1]
            if following == "." or following in _ESCAPES_WITH_STOP:
                return False
            index += 2
        elif char == "[":
            end = _class_end(pattern, index)
            if end is None or _class_has_stop(pattern[index + 1 : end]):
                return False
            index = end + 1
        elif char in ".$":
            return False
        else:
            index += 1
    return True


def _class_has_stop(body: str) -> bool:
    """Whether the character class with this body (between the brackets) matches a full stop."""
    negated = body.startswith("^")
    members = body[1:] if negated else body
    has_stop = False
    index = 0
    while index < len(members):
        char = members[index]
        if char == "\\" and index + 1 < len(members):
            following = members[index + 1]
            has_stop = has_stop or following == "." or following in "WSD"
            index += 2
            continue
        if char == "-" and 0 < index < len(members) - 1:
            low, high = members[index - 1], members[index + 1]
            has_stop = has_stop or low <= "." <= high
        has_stop = has_stop or char == "."
        index += 1
    return has_stop != negated
