"""How designations of aircraft, vehicles and weapons are written: F-35, C-130s, MQ-9, M1A2."""

from __future__ import annotations

import re

EQUIPMENT = re.compile(r"^[A-Z]{1,4}-?\d+[A-Z]?(?:s|'s)?$")
