"""Sentence in, recognised entities out: knowledge types names without splitting them."""

from __future__ import annotations

import pytest

from kg.recognize.candidates import _loose_form
from kg.recognize.choose import title_case_tokens


def _found(extract, text):
    return {(m.name, m.entity_class, m.gazetteer_id) for m in extract(text).mentions}


def _names(extract, text):
    return {m.name for m in extract(text).mentions}


@pytest.mark.parametrize(
    ("sentence", "name", "entity_class", "not_split_into"),
    [
        ("Shares of British Airways fell sharply on Monday.", "British Airways",
         "Organization", "United Kingdom"),
        ("Trading on the Tel Aviv Stock Exchange was halted.", "Tel Aviv Stock Exchange",
         "Organization", "Tel Aviv"),
        ("A tanker was seized in the Gulf of Oman on Thursday.", "Gulf of Oman", "Place", "Oman"),
        ("The Kenya Defence Forces said the convoy was safe.", "Kenya Defence Forces",
         "Organization", "Kenya"),
    ],
)  # fmt: skip
def test_recognize_knowledge_never_splits_a_longer_name(
    extract, sentence, name, entity_class, not_split_into
):
    mentions = extract(sentence).mentions
    assert (name, entity_class) in {(m.name, m.entity_class) for m in mentions}
    assert not_split_into not in {m.name for m in mentions}


@pytest.mark.parametrize(
    ("sentence", "name", "key"),
    [
        ("The delegation landed in Townsville on Monday.", "Townsville", "place/townsville"),
        ("Engineers arrived in Mobile, Alabama, on Friday.", "Mobile", "place/mobile"),
        ("The convoy reached Savannah, Ga., after dark.", "Georgia", "place/georgia"),
        ("Jets flew from RAF Mildenhall to Spain.", "RAF Mildenhall", "base/raf-mildenhall"),
        ("The squadron left Royal Air Force Fairford at dawn.", "RAF Fairford",
         "base/raf-fairford"),
        ("Bombers returned to Aviano Air Base overnight.", "Aviano Air Base",
         "base/aviano-air-base"),
    ],
)  # fmt: skip
def test_recognize_knowledge_places_and_bases_linked(extract, sentence, name, key):
    assert any(n == name and k == key for n, _, k in _found(extract, sentence))


@pytest.mark.parametrize(
    ("sentence", "word"),
    [
        ("Mobile phones were banned at the base.", "Mobile"),
        ("The mission began in March and ended in May.", "March"),
        ("Most of the soldiers stayed behind.", "Most"),
    ],
)
def test_recognize_town_names_that_are_words_need_context(extract, sentence, word):
    assert word not in _names(extract, sentence)


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("Secretary Jackson told reporters the plan was final.", "Jackson"),
        ("Senator Elaine Darwin spoke in Canberra. Darwin later left for Sydney.", "Darwin"),
    ],
)
def test_recognize_a_title_or_full_name_makes_a_town_name_a_person(extract, text, name):
    typed = {(m.text, m.entity_class) for m in extract(text).mentions}
    assert (name, "Person") in typed
    assert (name, "Place") not in typed


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ("The brigade trained near Savannah, Ga., before it left. Georgia's governor praised "
         "the unit.", "place/georgia"),
        ("Tbilisi is the capital of Georgia.", "country/georgia"),
    ],
)  # fmt: skip
def test_recognize_one_reading_per_article(extract, text, key):
    readings = {m.gazetteer_id for m in extract(text).mentions if m.text == "Georgia"}
    assert readings == {key}


@pytest.mark.parametrize(
    ("text", "name", "entity_class"),
    [
        ("KANDAHAR, Afghanistan — Troops left the airfield on Friday.", "Kandahar", "Place"),
        ("CAMP LEJEUNE, N.C. — Marines returned home on Friday.", "Camp Lejeune", "MilitaryBase"),
        ("MANAMA, Bahrain (AP) — The fleet left port.", "Manama", "Place"),
    ],
)
def test_recognize_datelines(extract, text, name, entity_class):
    assert (name, entity_class) in {(m.name, m.entity_class) for m in extract(text).mentions}


@pytest.mark.parametrize(
    ("sentence", "base"),
    [
        ("Recruits train at Gallipoli Barracks in Brisbane.", "Gallipoli Barracks"),
        ("Troops moved to Camp Humphreys last year.", "Camp Humphreys"),
        ("Bombers landed at Andersen Air Force Base on Guam.", "Andersen Air Force Base"),
        ("Drones flew from Air Base 201 in Niger.", "Air Base 201"),
        ("Gunners fired at the Cultana Training Area all week.", "Cultana Training Area"),
        ("The patrol returned to Naval Station Rota on Sunday.", "Naval Station Rota"),
        ("Sailors landed at NAS Sigonella before dawn.", "NAS Sigonella"),
    ],
)
def test_recognize_bases_by_their_shape(extract, sentence, base):
    bases = {m.name for m in extract(sentence).mentions if m.entity_class == "MilitaryBase"}
    assert base in bases


@pytest.mark.parametrize(
    "sentence",
    ["The Air Force Base was closed for the holiday.", "A new Naval Base was planned."],
)
def test_recognize_a_base_word_alone_is_no_base(extract, sentence):
    assert not [m for m in extract(sentence).mentions if m.entity_class == "MilitaryBase"]


@pytest.mark.parametrize(
    ("sentence", "unit"),
    [
        ("The 10th Mountain Division returned from Iraq.", "10th Mountain Division"),
        ("Soldiers of the 173rd Airborne Brigade jumped into Latvia.", "173rd Airborne Brigade"),
        ("XVIII Airborne Corps headquarters moved to Poland.", "XVIII Airborne Corps"),
        ("Task Force Phoenix took over the mission.", "Task Force Phoenix"),
        ("Pilots of the 31st Fighter Wing flew home.", "31st Fighter Wing"),
    ],
)
def test_recognize_units_by_designation(extract, sentence, unit):
    assert (unit, "Organization") in {(m.name, m.entity_class) for m in extract(sentence).mentions}


@pytest.mark.parametrize(
    ("sentence", "person", "not_a_name"),
    [
        ('Col. James "Jim" Carter briefed the press.', "James Carter", "Jim"),
        ("Ursula von der Leyen visited the troops.", "Ursula von der Leyen", "Leyen"),
        ("Secretary of Defense Anna Kowalski III said the order stood.", "Anna Kowalski III",
         "Defense"),
    ],
)  # fmt: skip
def test_recognize_person_names_kept_whole(extract, sentence, person, not_a_name):
    names = _names(extract, sentence)
    assert person in names
    assert not_a_name not in names


def test_recognize_title_case_headline_keeps_only_what_prose_names(extract):
    text = (
        "Navy Orders Destroyer Group to Aegean\n\n"
        "The Navy ordered a destroyer group to the Aegean Sea on Friday, officials said."
    )
    names = _names(extract, text)
    assert not any("Orders" in name for name in names)
    assert "Aegean Sea" in names


def test_recognize_title_case_lines_are_lines_not_sentences(nlp):
    doc = nlp(
        "Gunners Hold Fire Over Holiday\n\nThe medal went to Sgt. 1st Class Ann Roe on Friday."
    )
    titled = title_case_tokens(doc)
    assert doc[0].i in titled
    assert not any(t.i in titled for t in doc if t.text == "Roe")


def test_recognize_a_nationality_before_a_name_is_no_crash(extract):
    """Regression: 'Uruguayan' and the person both claimed the word (spaCy E1010)."""
    mentions = extract("The coach praised Uruguayan Marcelo Otero after the match.").mentions
    assert ("Marcelo Otero", "Person") in {(m.name, m.entity_class) for m in mentions}


@pytest.mark.parametrize(
    "line",
    [
        "Squad : Javier Pertile , Paolo Vaccari , Marco Bonomi , Ilse Brandt",
        "14. Hilde Garber ( Austria ) 1:49.84",
    ],
)
def test_recognize_lists_and_tables_are_no_headlines(nlp, line):
    assert not title_case_tokens(nlp(line))


def test_recognize_a_surname_the_model_typed_a_body_is_the_person(extract):
    mentions = extract("Kenneth Clarke spoke first. Clarke should resign, critics said.").mentions
    assert {m.entity_class for m in mentions if m.text == "Clarke"} == {"Person"}


def test_recognize_model_spans_lose_edge_punctuation(extract):
    names = _names(extract, "Fans of Olympiakos (Greece) cheered the result.")
    assert not any(name.endswith("(") for name in names)


@pytest.mark.parametrize(
    ("sentence", "key"),
    [
        ("The family moved to Paris, Texas, last year.", "place/paris-us"),
        ("The envoy flew to Paris on Monday.", "place/paris"),
    ],
)
def test_recognize_the_place_after_a_comma_picks_the_namesake(extract, sentence, key):
    assert key in {m.gazetteer_id for m in extract(sentence).mentions if m.text == "Paris"}


@pytest.mark.parametrize(
    ("text", "not_a_place"),
    [
        ("ANALYSIS - Markets steady as talks resume in Geneva.", "Analysis"),
        ("-- Jane Roe , Mexico City newsroom +52 555 0100", "Jane Roe"),
    ],
)
def test_recognize_wire_labels_and_sign_offs_are_no_places(extract, text, not_a_place):
    places = {m.name for m in extract(text).mentions if m.entity_class == "Place"}
    assert not_a_place not in places


def test_recognize_a_town_written_without_diacritics_is_found(extract):
    mentions = extract("Tanks withdrew from Rafah on Monday.").mentions
    assert "place/rafah" in {m.gazetteer_id for m in mentions}


def test_loose_form_keeps_every_character_s_offset() -> None:
    # quotes straightened, letters lowered one for one; a capital sigma lowered as itself
    # wherever it stands, a letter that lowers to two left as it is
    assert _loose_form("Iraq’s “Green Zone”") == 'iraq\'s "green zone"'
    assert _loose_form("ΟΔΥΣΣΕΥΣ sailed") == "οδυσσευσ sailed"
    assert _loose_form("İzmir AIR BASE") == "İzmir air base"
    for text in ("ΟΔΥΣΣΕΥΣ sailed", "İzmir AIR BASE", "Iraq’s “Green Zone”"):
        assert len(_loose_form(text)) == len(text)
