"""Corpus-wide resolution: entities, then the events and roles that point at them."""

from kg.resolve.entities import Resolution, resolve
from kg.resolve.events import EventStats, resolve_events
from kg.resolve.roles import resolve_roles

__all__ = ["EventStats", "Resolution", "resolve", "resolve_events", "resolve_roles"]
