"""newskg's spaCy components and their settings, read without loading spaCy.

The settings live in `kg/pipeline.cfg` (spaCy's config format), the
defaults of newskg's factories; a pipeline saved with `nlp.to_disk` keeps
them in its own `config.cfg`. A build's cache key is made of them and of the
files they name (`pipeline_files`), and an up-to-date `kg build` stops
before loading spaCy: so the format (INI sections whose values are JSON) is
read here with configparser, not confection, whose import (pydantic) alone
would cost a no-op build a fifth of a second.
"""

from __future__ import annotations

import configparser
import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from kg.resources import gazetteer_files, shipped_data_file

SENTENCES = "newskg_sentences"
ENTITIES = "newskg_entities"
EXTRACT = "newskg_extract"
FACTORIES = (SENTENCES, ENTITIES, EXTRACT)
SHIPPED_CONFIG = Path(__file__).with_name("pipeline.cfg")
# Settings that name a table in place of a shipped one: setting → the table's name.
DATA_SETTINGS = {
    "recognition": "recognition.json",
    "base_patterns": "base_patterns.jsonl",
    "place_patterns": "place_patterns.jsonl",
    "event_triggers": "event_triggers.json",
    "event_grammar": "event_grammar.json",
}
GAZETTEER_SETTING = "gazetteer"

Settings = dict[str, Any]


class SettingError(ValueError):
    """A component setting names a file or folder that is not there."""


def _components(config_file: Path) -> dict[str, Settings]:
    """newskg's component sections of a config file, by component name (factory included)."""
    parser = configparser.ConfigParser(interpolation=None, delimiters=("=",))
    parser.optionxform = str  # type: ignore[assignment,method-assign]  # keys keep their case
    parser.read_string(config_file.read_text(encoding="utf-8"))
    found = {}
    for section in parser.sections():
        group, _, name = section.partition(".")
        if group == "components" and name and "." not in name:
            settings = {key: _value(raw) for key, raw in parser.items(section)}
            if settings.get("factory") in FACTORIES:
                found[name] = settings
    return found


def _value(raw: str) -> Any:
    """A config value: JSON, or the text itself where it is none ('${paths.vectors}')."""
    try:
        return json.loads(raw)
    except ValueError:
        return raw


def factory_defaults(factory: str) -> Settings:
    """The shipped settings of one of newskg's factories (its `default_config`)."""
    settings = _components(SHIPPED_CONFIG)[factory]
    return {key: value for key, value in settings.items() if key != "factory"}


def pipeline_components(model: str) -> dict[str, Settings]:
    """newskg's components in the pipeline `build_pipeline(model)` runs, with their settings.

    A pipeline folder saved with them keeps its own; any other pipeline gets the shipped ones.
    """
    saved = Path(model) / "config.cfg"
    own = _components(saved) if saved.is_file() else {}
    return own or _components(SHIPPED_CONFIG)


def gazetteer_folder(setting: str) -> Path | None:
    """The gazetteer folder a setting names; None for the shipped one.

    Raises:
        SettingError: when it names no folder (a typo would give an empty gazetteer).
    """
    if not setting:
        return None
    if not Path(setting).is_dir():
        raise SettingError(
            f"{ENTITIES}'s gazetteer setting names {setting!r}, which is no folder: "
            'give a folder of gazetteer *.ttl files, or "" for the shipped one'
        )
    return Path(setting)


def chosen_files(settings: Mapping[str, Any]) -> dict[str, Path]:
    """The tables a component's settings put in place of shipped ones, by table name.

    Raises:
        SettingError: when a setting names no file.
    """
    chosen = {}
    for key, value in settings.items():
        if key in DATA_SETTINGS and value:
            if not Path(value).is_file():
                raise SettingError(
                    f"the {key} setting names {value!r}, which is no file: give the path "
                    f'of a table shaped like kg/data/{DATA_SETTINGS[key]}, or "" for that one'
                )
            chosen[DATA_SETTINGS[key]] = Path(value)
    return chosen


def pipeline_files(components: Mapping[str, Settings]) -> list[Path]:
    """Every data file the components' settings name, shipped defaults included."""
    files: list[Path] = []
    for settings in components.values():
        if GAZETTEER_SETTING in settings:
            files += gazetteer_files(gazetteer_folder(settings[GAZETTEER_SETTING]))
        chosen = chosen_files(settings)
        files += [
            chosen.get(table) or shipped_data_file(table)
            for key, table in DATA_SETTINGS.items()
            if key in settings
        ]
    return files
