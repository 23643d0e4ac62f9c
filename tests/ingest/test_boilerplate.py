"""Line rules: furniture dropped, credits cut, story text kept."""

from __future__ import annotations

import pytest

from kg.ingest.boilerplate import is_block_end, is_boilerplate, is_link_only, keep_spans


def kept_text(line: str) -> str:
    return " ".join(line[a:b] for a, b in keep_spans(line))


@pytest.mark.parametrize(
    "line",
    [
        "Skip to content",
        "Skip to main content",
        "READ MORE: Multiple US bases in Iraq hit with rockets",
        "Read more: New ISIS leader 'captured by special forces in Iraq'",
        "Also read: Iraq's parliament votes to expel US troops",
        "RELATED: Pentagon confirms drawdown",
        "Join our brand new verified AMN Telegram channel and get important news uncensored!",
        "Subscribe to our newsletter",
        "Sign up for our free daily briefing",
        "Follow us on Twitter and Facebook",
        "Download our app",
        "We use cookies to give you the best experience. By continuing you accept our policy.",
        "Accept all cookies",
        "Readers Comments (0)",
        "Add your comment",
        "Enter the security code below*",
        "Can't read this? Try Another.",
        "Leave a comment",
        "Comments",
        "Comments (12)",
        "Copyright 2021 . All rights reserved",
        "© 2020 Example News Ltd",
        "Copyright © 2020 Example News",
        "All rights reserved.",
        "Share this article",
        "Share on Facebook",
        "Facebook Twitter WhatsApp Email",
        "Share | Tweet | Email",
        "Advertisement",
        "image source, Getty Images",
        "image copyright Reuters",
        "Photo: Getty Images",
        "Getty Images",
        "AFP via Getty Images",
        "Published 6 hours ago",
        "Updated 2 days ago",
        "https://www.bbc.com/news/world-middle-east-54085129",
    ],
)
def test_boilerplate_drops_furniture_lines(line: str) -> None:
    assert is_boilerplate(line)


@pytest.mark.parametrize(
    "line",
    [
        "The United States is reducing its troop presence in Iraq this month.",
        "Associated Press",  # a wire credit names the organisation behind the story
        "According to Reuters, officials in the coalition believe Iraqi forces can cope.",
        "Donald Trump mocks Joe Biden for manner of wearing mask",
        "What is the reason for the move?",
        "Comments made by the general angered Baghdad.",
        "Sign language interpreters joined the briefing.",
        "Share prices in Baghdad rose after the announcement.",
        "Related talks will continue in Washington next week.",
        "Copyrighted maps were shown to reporters.",
        "Copyright lawyers for the Pentagon declined to comment.",
        # A long paragraph about cookies or newsletters is a story, not a banner.
        " ".join(["Regulators said websites that use cookies must ask users to accept them"] * 5),
    ],
)
def test_boilerplate_keeps_story_lines(line: str) -> None:
    assert not is_boilerplate(line)
    assert kept_text(line) == line


@pytest.mark.parametrize(
    "line",
    [
        # Government site banners
        "An official website of the European Union",
        "An official website of the State of Vermont",
        "An official website of the Canadian government",
        "Here’s how you know",
        "Official websites use .mil",
        "Secure .mil websites use HTTPS",
        "A .mil website belongs to an official Department of the Navy organization.",
        "A lock (LockA locked padlock) or https:// means you’ve safely connected to the site.",
        # Archive notices
        "You have accessed part of an archived collection on navy.example. Links may be broken.",
        "This page has been archived and is no longer updated.",
        "Some pages may be out of date. Please contact the Fleet Webmaster with questions.",
        # Accessibility links and bare labels
        "Accessibility links",
        "Accessibility statement",
        "Breaking News",
        "BREAKING",
        "Live updates",
        "News Release",
        # Media-player leftovers
        "12:07",
        "0:00 / 1:42",
        "0:00 0:01:15 0:00",
        "Play",
        "Please wait...",
        "No media source currently available",
        # Image-page metadata
        "IMAGE INFO Date Taken: 01.02.2023 Photo ID: 12345 Location: NORFOLK, VA, US",
        "VIRIN: 230101-N-AB123-1001",
        "Photo ID: 998877",
        "Date Taken: 04.17.2022",
        "Web Views: 12",
        "Resolution: 4000x2667",
        "PUBLIC DOMAIN This work, Sailors Load Stores [Image 1 of 3], must comply with the "
        "restrictions shown on https://images.example/copyright.",
        "VIEW ORIGINAL",
        # Press-office notes
        "For more information, please call +1 555-0100 or e-mail press@fleet.example.",
        "For further information contact the press desk at press@ministry.example",
        "Imagery will be available on the fleet image site at https://images.example/fleet.",
        "Video of the exercise is available at www.fleet.example/video",
        "More information about the exercise can be found here:",
        # Meta-data bullets
        "• Published",
        "Published",
        "• Pacific Fleet Public Affairs",
        "- 3rd Fleet Public Affairs Office",
        "• U.S. Coast Guard District 7 Public Affairs",
        # Photo credits on their own line
        "Photo By: Jane Roe, Navy",
        "Photo By: Navy Petty Officer 2nd Class Jane Roe",
        "Photo courtesy of: Ministry of Defence",
    ],
)
def test_boilerplate_drops_web_page_furniture(line: str) -> None:
    assert is_boilerplate(line)


@pytest.mark.parametrize(
    "line",
    [
        "An official website of the ministry published the names of the dead.",
        "An official website of the city of Kyiv was hacked",  # a headline
        "The ministry said its official website was hacked on Tuesday.",
        "Secure websites use encryption, the agency's spokesman said.",
        "Here is how the deal works.",
        "You have to understand the history of this region, the general said.",
        "Officials said archived footage of the raid would be released.",
        "Breaking news of the attack reached the capital before dawn.",
        "Breaking the siege took three weeks.",
        "Play resumed at the stadium after the sirens stopped.",
        "The video, which lasts 2:35, shows soldiers leaving the base.",
        "Photos of the strike circulated widely on social media.",
        "Images of the damage are available to subscribers, the agency said.",
        "A photo by a local resident showed smoke over the port.",
        "For more information on the attack, officials urged residents to stay indoors.",
        "For more information about the 2014-2021 mission, the report lists its sources.",
        "The Army's public affairs office said the drill was routine.",
        "• Approximately 200 Sailors from a Fleet Public Affairs unit will deploy.",
        "Published reports said the troops had left the base.",
        "The resolution: a ceasefire from Monday.",
        "Press releases from the ministry named three commanders.",
        "Please wait for the official results, the commission said.",
    ],
)
def test_boilerplate_keeps_story_lines_that_mention_furniture(line: str) -> None:
    assert not is_boilerplate(line)
    assert kept_text(line) == line


@pytest.mark.parametrize(
    "line",
    [
        "Related News",
        "Related Articles",
        "Related Stories",
        "Related",
        "Read also:",
        "More on this story",
        "You may also like",
        "You might also like:",
        "Most read",
        "Recommended",
        "Recommended for you",
        "## Related Topics",
    ],
)
def test_boilerplate_block_headers_close_the_article(line: str) -> None:
    assert is_block_end(line)


@pytest.mark.parametrize(
    "line",
    [
        "Related news emerged on Tuesday from Baghdad.",
        "Most read the statement as a retreat.",
        "Read also the statement from the Iraqi foreign ministry.",
    ],
)
def test_boilerplate_sentences_are_not_block_headers(line: str) -> None:
    assert not is_block_end(line)


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        # BBC captions flattened into one line: credit and label go, caption stays.
        (
            "image copyright Reuters image caption US troops have been deployed to Iraq since 2014",
            "US troops have been deployed to Iraq since 2014",
        ),
        (
            "image copyright EPA image caption Iraqi PM Mustafa al-Kadhimi met Donald Trump",
            "Iraqi PM Mustafa al-Kadhimi met Donald Trump",
        ),
        (
            "media caption Qasem Soleimani: Who was Iran's 'rock star' general?",
            "Qasem Soleimani: Who was Iran's 'rock star' general?",
        ),
        (
            "Image source, Getty Images Image caption, Troops at Camp Taji",
            "Troops at Camp Taji",
        ),
        ("Image caption, Troops at Camp Taji", "Troops at Camp Taji"),
        # Trailing credits
        (
            "Donald Trump aims to fulfil a presidential campaign promise. Picture: Getty",
            "Donald Trump aims to fulfil a presidential campaign promise",
        ),
        ("Troops board a plane in Kuwait. Photo: AFP", "Troops board a plane in Kuwait"),
        ("Troops board a plane in Kuwait. Credit: Jane Doe", "Troops board a plane in Kuwait"),
        (
            "Troops board a plane in Kuwait. (Photo by Jane Doe/AFP via Getty Images)",
            "Troops board a plane in Kuwait.",
        ),
        (
            "Troops board a plane in Kuwait. Photo by Jane Doe/Getty Images",
            "Troops board a plane in Kuwait",
        ),
        (
            "Soldiers train with Iraqi partners in Mosul, Iraq. (Maj. Vonnie Wright/U.S. Army)",
            "Soldiers train with Iraqi partners in Mosul, Iraq.",
        ),
        ("Soldiers at Camp Taji. (AP Photo/John Doe)", "Soldiers at Camp Taji."),
        ("Soldiers at Camp Taji (Getty Images)", "Soldiers at Camp Taji"),
        ("Soldiers at Camp Taji. (Reuters) Photo: X", "Soldiers at Camp Taji."),
        # Image-page and wire credits inside a caption line
        (
            "Sailors unload stores in Example Bay, Jan. 4, 2023. (Photo Credit: U.S. Navy "
            "photo by Petty Officer 2nd Class Jane Roe) VIEW ORIGINAL",
            "Sailors unload stores in Example Bay, Jan. 4, 2023.",
        ),
        (
            "A frigate leaves port, March 2, 2022. (Royal Navy/Handout via Reuters)",
            "A frigate leaves port, March 2, 2022.",
        ),
        (
            "Protesters gather outside parliament in Tbilisi. (Photo: Jane Roe/AP)",
            "Protesters gather outside parliament in Tbilisi.",
        ),
        (
            "Marines rest in Example Bay. (U.S. Marine Corps photo by Cpl. John Roe)",
            "Marines rest in Example Bay.",
        ),
        (
            "Airmen load cargo at Example Air Base, Jan. 5, 2024. "
            "U.S. Air Force photo by Senior Airman John Roe",
            "Airmen load cargo at Example Air Base, Jan. 5, 2024.",
        ),
        ("U.S. Air Force photo by Senior Airman John Roe", ""),
        # "FILE - " labels a caption; the caption itself is text.
        (
            "FILE - Soldiers patrol a village near the border, May 2, 2020.",
            "Soldiers patrol a village near the border, May 2, 2020.",
        ),
        ("FILE PHOTO: A destroyer sails in the strait.", "A destroyer sails in the strait."),
        # A caption rendered twice in one line is kept once.
        (
            "Marines board a ship in Example Harbor, June 1, 2022. "
            "Marines board a ship in Example Harbor, June 1, 2022.",
            "Marines board a ship in Example Harbor, June 1, 2022.",
        ),
        # The copies may stand a few spaces or a tab apart; halves that differ stay whole.
        (
            "Sailors wave from the deck, May 3, 2021.   Sailors wave from the deck, May 3, 2021.",
            "Sailors wave from the deck, May 3, 2021.",
        ),
        (
            "Sailors wave from the deck today.\tSailors wave from the deck today!",
            "Sailors wave from the deck today.\tSailors wave from the deck today!",
        ),
        ("Talks, talks and more talks.", "Talks, talks and more talks."),
        ("Go, go, go.", "Go, go, go."),
        # Sentences about photographs are not credits.
        (
            "The photo by Jane Roe won an award last year.",
            "The photo by Jane Roe won an award last year.",
        ),
        (
            "The ministry released photos. The photos by the ministry showed damage.",
            "The ministry released photos. The photos by the ministry showed damage.",
        ),
        (
            "Reporters were kept away (photographers were barred too)",
            "Reporters were kept away (photographers were barred too)",
        ),
        ("The file - a thick dossier - was leaked.", "The file - a thick dossier - was leaked."),
        # Markdown heading marks are not text.
        ("## US to withdraw 2,200 troops", "US to withdraw 2,200 troops"),
        ("### Why are US troops in Iraq? ###", "Why are US troops in Iraq?"),
        # Credit-only or punctuation-only lines leave nothing.
        ("(Maj. Vonnie Wright/U.S. Army)", ""),
        ("* * *", ""),
        # Story parentheses that are not credits stay.
        (
            "The jihadist group Islamic State (IS) was defeated.",
            "The jihadist group Islamic State (IS) was defeated.",
        ),
        (
            "The deal covers the 2008 SFA (and/or its annexes)",
            "The deal covers the 2008 SFA (and/or its annexes)",
        ),
    ],
)
def test_boilerplate_keep_spans_cuts_credits(line: str, expected: str) -> None:
    assert kept_text(line) == expected


def test_boilerplate_credit_in_the_middle_leaves_two_pieces() -> None:
    line = "Troops left the base. image copyright AFP image caption Iraqi soldiers took over"
    pieces = keep_spans(line)
    assert [line[a:b] for a, b in pieces] == ["Troops left the base.", "Iraqi soldiers took over"]


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("![](https://ichef.bbci.co.uk/news/1024/_114297387_mediaitem114297386.jpg)", True),
        ("[中文翻译](US%20to%20withdraw_zh.md)", True),
        ("[Original Article](https://www.bbc.com/news/world-middle-east-54085129)", True),
        ('![Troops](a.jpg "Troops in Iraq") [Next](b.md)', True),
        ("See [the statement](https://state.gov) for details.", False),
        ("[IS] remnants remain in Iraq", False),
    ],
)
def test_boilerplate_link_only_lines(line: str, expected: bool) -> None:
    assert is_link_only(line) is expected
