"""Title words stripped from person names."""

from __future__ import annotations

import pytest

from kg.names import split_title


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("Army Maj. Gen. Jane Q. Roe", ("Army Maj. Gen.", "Jane Q. Roe")),
        ("Air Force Lt. Col. Omar Haddad", ("Air Force Lt. Col.", "Omar Haddad")),
        ("Sgt. 1st Class Maria Diaz", ("Sgt. 1st Class", "Maria Diaz")),
        ("Chief Petty Officer Lena Ortiz", ("Chief Petty Officer", "Lena Ortiz")),
        ("Marine Cpl. Dan Reyes", ("Marine Cpl.", "Dan Reyes")),
        ("Air Vice-Marshal Joe Smith", ("Air Vice-Marshal", "Joe Smith")),
        ("Former President Donald Trump", ("Former President", "Donald Trump")),
        ("Secretary of State Mike Pompeo", ("Secretary of State", "Mike Pompeo")),
        ("Secretary of the Navy Carla Diaz", ("Secretary of the Navy", "Carla Diaz")),
        ("Ambassador to Chile John Doe", ("Ambassador to Chile", "John Doe")),
        # a quoted nickname is neither title nor name
        ('Jane "JQ" Roe', ("", "Jane Roe")),
        ('Gen. William "Bill" Stone', ("Gen.", "William Stone")),
        ("Jim O'Brien", ("", "Jim O'Brien")),
        # a name made only of title words stays whole
        ("President", ("", "President")),
    ],
)
def test_names_split_title(name, expected):
    assert split_title(name) == expected
