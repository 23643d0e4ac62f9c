"""Tests for kg.query.output: text for a terminal shows control characters, never obeys them."""

from __future__ import annotations

import pytest
from pyoxigraph import Literal, NamedNode, Triple
from rdflib import Graph

from kg.query.output import cell, printable, render


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        ("Troops leave Kabul", "Troops leave Kabul"),
        ("\x1b]0;owned\x07Kabul", "\\u001B]0;owned\\u0007Kabul"),  # retitle the terminal
        ("\x1b[2J\x1b[HKabul", "\\u001B[2J\\u001B[HKabul"),  # clear the screen
        ("\x9b2JKabul", "\\u009B2JKabul"),  # the same, as one C1 character
        ("Kabul\x00\x7f", "Kabul\\u0000\\u007F"),
        ("Kabul\r\nnews\tnow", "Kabul news now"),  # whitespace folds to one line, as before
        ("Mосква ‘Kyiv’ — 東京", "Mосква ‘Kyiv’ — 東京"),
    ],
)
def test_output_cell_escapes_control_characters(value, shown):
    assert cell(Literal(value)) == shown


def test_output_printable_keeps_newlines_and_turtle_meaning():
    assert printable("a\nb\x1bc") == "a\nb\\u001Bc"
    triple = Triple(
        NamedNode("https://e.example/a"), NamedNode("https://e.example/b"), Literal("x\x9by")
    )
    turtle = render([triple], "table").decode("utf-8")
    assert "\x9b" not in turtle
    parsed = Graph().parse(data=turtle, format="turtle")
    assert [str(value) for value in parsed.objects()] == ["x\x9by"]
