"""Tell a news page's furniture apart from its story, one line at a time.

Saved and scraped articles carry navigation, promos, comment forms, photo
credits and related-article lists. Left in, they feed the NLP stage false
entities ("Getty", "Reuters", a headline from another story). The rules here
are general patterns seen across news sites, kept as compiled regexes in
module-level tables so that a new rule is one more row, not a new branch.

All functions take one line with surrounding whitespace already trimmed.
"""

from __future__ import annotations

import re

_I = re.IGNORECASE
_SHARE_WORD = (
    r"(?:share|tweet|email|e-mail|print|copy link|facebook|twitter|x|whatsapp|linkedin|"
    r"pinterest|reddit|telegram|messenger|flipboard)"
)

# Lines that are furniture whatever their length.
DROP_LINE_PATTERNS: tuple[re.Pattern[str], ...] = tuple(
    re.compile(p, _I)
    for p in (
        r"^skip to (?:the )?(?:main )?(?:content|navigation|search|footer)\b",
        # Teasers for other stories: "READ MORE: …", "Also read: …", "RELATED: …"
        r"^(?:read more|more|also read|read also|related|see also|watch|listen|"
        r"must read|don[’']t miss|recommended|read next|read)\s*[:|»>]\s*\S",
        # "Copyright 2021", "© Example", "(c) 2020": not "Copyright law experts said …"
        r"^(?:copyright\s*(?:©|\(c\)|\d{4})|©|\(c\)\s*\d{4})",
        r"\ball rights reserved\b",
        # Comment forms
        r"^readers?[’']?\s+comments?\b",
        r"^(?:add|post|leave|write|submit)\s+(?:a|your|new)\s+(?:comment|reply)\b",
        r"^enter the (?:security|captcha|verification) code\b",
        r"^can[’']t read this\?",
        r"^(?:\d+\s+)?comments?(?:\s*\(\d+\))?:?$",
        r"^(?:show|view|load|hide)\s+(?:all\s+|more\s+)?comments\b",
        # Share buttons
        r"^share (?:this|the|on|via)\b.{0,60}$",
        rf"^{_SHARE_WORD}(?:(?:\s*[|,/·•]\s*|\s+){_SHARE_WORD})*$",
        r"^advertisement$",
        r"^(?:read more|continue reading|show more|load more)\W*$",
        # Relative timestamps ("Published 6 hours ago") are never a date.
        r"^(?:published|updated|posted|last updated)\s+(?:duration\s+)?\d+\s+"
        r"(?:second|minute|min|hour|hr|day|week|month|year)s?\s+ago$",
        # A photo credit on its own line: "Photo: Getty Images", "Photo By: Jane Doe, Navy"
        r"^(?:(?:photo|picture|image|video)s?\s*(?:credit|by|courtesy(?:\s+of)?)?s?|credits?)"
        r"\s*:\s*\S.{0,80}$",
        r"^(?:image|media|video|photo)\s+(?:copyright|source|credit)\b(?!.*\bcaption\b)",
        r"^\(?(?:[\w.'’ -]{0,40}(?:/|\bvia\s+))?Getty Images\)?$",
        # A bare web address
        r"^<?https?://\S+>?$",
        # Government site banners: "An official website of the United States
        # Government", "Here's how you know", "Official websites use .gov",
        # ".gov website belongs to …", "Secure .gov websites use HTTPS", the lock note.
        r"^an official (?:web)?site of (?:the )?(?:[^.!?]{0,60}\b(?:government|union)|"
        r"(?:state|commonwealth|city|county|province) of \w+(?: \w+)?)\W*$",
        r"^here[’']s how you know\W*$",
        r"^(?:official|secure)\s+(?:\.\w+\s+)?websites use\s+(?:\.\w+|https)\W*$",
        r"^(?:an?\s+)?\.\w+(?:\.\w+)?\s+website belongs to an official\b",
        r"^a lock\b.{0,40}\bmeans you[’']ve safely connected\b",
        # Archive notices: "You have accessed part of a historical collection …"
        r"^you (?:have accessed|are viewing|are looking at) (?:part of )?(?:an?|the) "
        r"(?:historical|archived?)\b",
        r"^this (?:page|article|content|story) (?:has been|is|was) archived\b",
        r"\bplease contact the [\w .-]{0,40}\bwebmaster\b",
        # Accessibility links and bare section labels
        r"^accessibility (?:links|help|statement|menu)\W*$",
        r"^(?:breaking(?: news)?|just in|developing(?: story)?|live updates?)\W*$",
        r"^(?:press|news|media) releases?\W*$",
        # Media-player leftovers: clock readings only ("0:00 0:02:35 0:00", "49:53"),
        # player buttons and loading notes.
        r"^\d{1,2}(?::\d{2}){1,2}(?:\s*[/|]?\s*\d{1,2}(?::\d{2}){1,2})*$",
        r"^(?:play|pause|replay|mute|unmute|play video|watch video|embed)$",
        r"^(?:please wait|loading|buffering)\W*$",
        r"^no media source (?:is )?(?:currently )?available\W*$",
        # Image-page metadata: "IMAGE INFO Date Taken: …", "VIRIN: …", "Photo ID: …"
        r"^image info\b",
        r"^(?:virin|photo id|image id|date taken|web views|downloads|file size)\s*:",
        r"^resolution\s*:\s*\d+\s*x\s*\d+",
        r"^(?:public domain\s+)?this (?:work|image|photo|video)\b.{0,200}\bmust comply with\b",
        r"^view original(?: image| photo)?\W*$",
        # Press-office notes: contact numbers and addresses, where imagery is.
        r"^for (?:more|further|additional) information\b.{0,80}\b(?:call|phone|contact|"
        r"e-?mail|visit|write to|reach)\b.*(?:\w@\w|https?://|www\.|\d[\d ()./-]{5,}\d)",
        r"^(?:more|additional|further) information\b.{0,120}\bcan be found (?:here|below)\s*:?$",
        r"^(?:imagery|images|photos|video|b-roll|footage)\b.{0,80}\bavailable\b.{0,120}"
        r"(?:https?://|www\.)",
        # A meta-data bullet: "• Published", or the issuing office "• Fleet Public Affairs".
        r"^[•·▪●◦*-]?\s*(?:published|posted|updated|last updated)$",
        r"^[•·▪●◦*-]\s*[^!?:]{1,80}\b(?:public affairs|press office|press service|"
        r"media relations|communications office)(?: office| section| team)?$",
    )
)

# Promos and cookie banners: only short lines, so a story *about* newsletters
# or cookies keeps its paragraphs.
PROMO_MAX_WORDS = 40
PROMO_PATTERNS: tuple[re.Pattern[str], ...] = tuple(
    re.compile(p, _I)
    for p in (
        r"^join (?:us|our)\b.*\b(?:channel|newsletter|community|group|mailing list)\b",
        r"\bsubscribe (?:to|for)\b.*\b(?:newsletter|channel|podcast|mailing list|updates)\b",
        r"^(?:sign up|register|subscribe)\b.*\b(?:newsletter|free|email|alerts|updates|"
        r"account|digest|briefing)\b",
        r"^follow us\b",
        r"^(?:download|get) (?:our|the)\b.*\bapp\b",
        r"^(?:click|tap) here\b",
        r"\b(?:we|this (?:web)?site|our (?:web)?site|our partners)\b.{0,40}\buses?\s+cookies\b",
        r"^(?:accept|allow|reject|manage|decline)(?: all)? cookies\b",
        r"^cookie (?:policy|settings|preferences|notice|consent)\b",
        r"\bcookies?\b.*\b(?:accept|consent)\b.*\b(?:privacy|policy|settings)\b",
    )
)

# Headers of the blocks that close an article (related links, most read):
# the header and everything after it go.
BLOCK_END_PATTERNS: tuple[re.Pattern[str], ...] = tuple(
    re.compile(p, _I)
    for p in (
        r"^(?:related(?: news| articles?| stories| content| coverage| posts| links| topics|"
        r" reading)?|read also|also read|read next|read more(?=\s*:)|more on this (?:story|topic)|"
        r"you (?:may|might) (?:also )?(?:like|enjoy|be interested in)|"
        r"most (?:read|popular|viewed|shared|watched)|recommended(?: for you| stories|"
        r" articles| reading)?|more stories|more from [^:.!?]{1,40}|top stories|"
        r"trending(?: now| stories)?|also in the news|further reading|editor[’']s picks|"
        r"latest (?:news|stories))\s*[:»>]?$",
    )
)

# Photo credits and caption labels cut out of a line that also holds story text.
# BBC-style flattened captions: "image copyright Reuters image caption US troops …"
_CAPTION_LABEL = r"(?:image|media|video|photo)\s+caption\b[\s,:]*"
CAPTION_CREDIT_PATTERNS: tuple[re.Pattern[str], ...] = (
    re.compile(
        r"(?:^|(?<=\s))(?:image|media|video|photo)\s+(?:copyright|source|credit)\b[\s,:]*"
        r".{0,80}?" + _CAPTION_LABEL,
        _I,
    ),
    re.compile(r"^" + _CAPTION_LABEL, _I),
)

# Agencies and photo services whose names mark a parenthesised or labelled credit.
_AGENCY = (
    r"(?:Getty(?: Images)?|AFP|Reuters|EPA(?:-EFE)?|AP(?: Photo)?|PA(?: Media| Wire)?|"
    r"Shutterstock|Alamy|Anadolu(?: Agency)?|Xinhua|SOPA Images|NurPhoto|WireImage|"
    r"Sipa|dpa|file photo|courtesy)"
)
# "U.S. Navy photo by Petty Officer 2nd Class Jane Doe": a credit names who took
# the picture in capitalised words (service, rank, name) up to the end of the line.
_PHOTO_BY = (
    r"(?:(?:U\.S\.|[A-Z][\w'’-]*)\s+){0,4}[Pp]hoto(?:graph)?s?\s+(?:by|BY)\s+"
    r"(?:(?:[A-Z][\w.'’-]*|\d+(?:st|nd|rd|th))[,.]?\s*){1,8}"
)
TRAILING_CREDIT_PATTERNS: tuple[re.Pattern[str], ...] = tuple(
    re.compile(p)
    for p in (
        # "… a campaign promise. Picture: Getty" / "Photo: X" / "Credit: X"
        r"\.?\s*\b(?:Picture|Photo|Photograph|Image|Credit|Photo credit)s?\s*:\s*[^:.()]{1,60}$",
        # "(Photo by Jane Doe/AFP via Getty Images)", "(Photo: Jane Doe/AP)",
        # "(Photo Credit: U.S. Army photo by …)", "(U.S. Navy photo by …)"
        r"\s*\((?:(?:U\.S\.|[A-Z][\w'’-]*)\s+){0,4}(?:[Pp]hoto|[Pp]icture|[Ii]mage)s?"
        r"\s*(?::|\b(?:by|[Cc]redit|[Cc]ourtesy)\b)[^()]*\)$",
        # "… in Kabul. U.S. Air Force photo by Senior Airman Jane Doe", or the whole line
        r"(?:^|(?<=[.!?]))\s*" + _PHOTO_BY + r"$",
        # An image page's button left behind a caption: "… (Photo Credit: …) VIEW ORIGINAL"
        r"\s*\b(?:VIEW ORIGINAL|View [Oo]riginal)$",
        # "Photo by Jane Doe/Getty Images" without brackets
        r"\.?\s*\b(?:Photo|Picture)s?\s+by\s+[A-Z][^()/]{0,80}/[^()]{1,60}$",
        # "(Maj. Vonnie Wright/U.S. Army)", "(AP Photo/John Doe)": Name/Organisation
        r"\s*\([A-Z][\w.'’-]*(?:\s+[\w.'’&-]+){0,6}\s*/\s*[A-Z][^()]{0,60}\)$",
        # "(Getty Images)", "(AFP)", "(Reuters)"
        r"\s*\([^()]{0,40}\b" + _AGENCY + r"\b[^()]{0,40}\)$",
    )
)

# Labels that open a caption but are not its text: "FILE - Troops board …"
LEADING_LABEL_PATTERNS: tuple[re.Pattern[str], ...] = (
    re.compile(r"(?:FILE|File)(?: (?:PHOTO|[Pp]hoto))?\s*[-–—:]\s+"),
)
# Kickers that open a headline as the page shows it ("Press Release – Army
# commander visits …") but name no part of the story.
KICKER_PATTERNS: tuple[re.Pattern[str], ...] = (
    re.compile(r"(?:press|news|media) release\s*[-–—:|]\s+", _I),
)
# A caption rendered twice in one line has at least this many words per copy.
MIN_DOUBLED_WORDS = 4

_MD_HEADING = re.compile(r"^#{1,6}\s+")
_MD_HEADING_TAIL = re.compile(r"\s+#+$")
_LINK_ONLY = re.compile(r'^(?:!?\[[^\]]*\]\(\s*[^)\s]*(?:\s+"[^"]*")?\s*\)[\s|·•,]*)+$')
_WORDISH = re.compile(r"\w")


def is_boilerplate(line: str) -> bool:
    """True when the whole line is page furniture: navigation, promo, credit, form."""
    line = _without_heading_marks(line)
    if any(p.search(line) for p in DROP_LINE_PATTERNS):
        return True
    if len(line.split()) <= PROMO_MAX_WORDS:
        return any(p.search(line) for p in PROMO_PATTERNS)
    return False


def is_block_end(line: str) -> bool:
    """True for a header such as "Related News" that opens the closing link lists."""
    line = _without_heading_marks(line)
    return any(p.match(line) for p in BLOCK_END_PATTERNS)


def is_link_only(line: str) -> bool:
    """True for Markdown image or link lines: `![](…)`, `[中文翻译](…)`."""
    return bool(_LINK_ONLY.match(line))


def keep_spans(line: str) -> list[tuple[int, int]]:
    """Return the `(start, end)` pieces of `line` worth keeping, credits cut out.

    Caption labels ("FILE - ") go too, and a caption doubled within the line
    keeps its second copy. Pieces are offsets into `line`, so callers can map
    them back to the source text; a credit cut from the middle leaves two
    pieces. An empty list means nothing but credits (or punctuation) was left.
    """
    start, end = 0, len(line)
    heading = _MD_HEADING.match(line)
    if heading:
        start = heading.end()
        tail = _MD_HEADING_TAIL.search(line, start)
        if tail:
            end = tail.start()

    cuts: list[tuple[int, int]] = []
    for pattern in CAPTION_CREDIT_PATTERNS:
        for match in pattern.finditer(line, start, end):
            if match.end() > match.start():
                cuts.append((match.start(), match.end()))

    # Trailing credits can stack ("… (Getty Images) Photo: X"), so peel until none match.
    peeled = True
    while peeled:
        peeled = False
        for pattern in TRAILING_CREDIT_PATTERNS:
            credit = pattern.search(line, start, end)
            if credit and credit.end() == end:
                end = credit.start()
                peeled = True

    start = _second_copy(line, start, end)
    for pattern in LEADING_LABEL_PATTERNS:
        label = pattern.match(line, start, end)
        if label:
            start = label.end()

    pieces: list[tuple[int, int]] = []
    position = start
    for cut_start, cut_end in sorted(cuts):
        if cut_start > position:
            pieces.append((position, min(cut_start, end)))
        position = max(position, cut_end)
    if position < end:
        pieces.append((position, end))
    return [_trim(line, a, b) for a, b in pieces if _WORDISH.search(line, a, b)]


def kicker_end(headline: str) -> int:
    """Where the headline proper starts, after a kicker such as "Press Release – "."""
    for pattern in KICKER_PATTERNS:
        kicker = pattern.match(headline)
        if kicker and kicker.end() < len(headline):
            return kicker.end()
    return 0


def _second_copy(line: str, start: int, end: int) -> int:
    """Where the second copy begins when `line[start:end]` is one caption twice, else `start`.

    Pages render a caption as image text and again as its legend; flattened
    into one line, the two copies stand side by side.
    """
    text = line[start:end]
    # Only one gap can split the text in equal halves, and it covers the middle character.
    middle = (len(text) - 1) // 2
    if not text or not text[middle].isspace():
        return start
    gap_start = len(text[:middle].rstrip())
    gap_end = len(text) - len(text[middle:].lstrip())
    first, second = text[:gap_start], text[gap_end:]
    if len(first) != len(second):
        return start
    doubled = first == second and len(first.split()) >= MIN_DOUBLED_WORDS
    return start + gap_end if doubled else start


def _without_heading_marks(line: str) -> str:
    """The line without Markdown heading marks: "## Related" is still "Related"."""
    heading = _MD_HEADING.match(line)
    if not heading:
        return line
    return _MD_HEADING_TAIL.sub("", line[heading.end() :])


def _trim(line: str, start: int, end: int) -> tuple[int, int]:
    """Shrink a span so it neither starts nor ends with whitespace."""
    while start < end and line[start].isspace():
        start += 1
    while end > start and line[end - 1].isspace():
        end -= 1
    return start, end
