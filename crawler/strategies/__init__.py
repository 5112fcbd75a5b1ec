"""Listing strategies per CMS family (City Scrapers' mixins, as small classes).

``strategies_for(response, hints)`` returns the strategies that read a listing page: the one the
registry names (``hints.cms``) or the ones whose signature is on the page, always followed by the
general fallback. Their entries and pages are merged by the spider.
"""
from __future__ import annotations

from .base import ListingEntry, ListingStrategy, PageRequest
from .hanweb import HanwebStrategy
from .jsonapi import JsonApiStrategy
from .plain import PlainStrategy
from .trs import TrsStrategy

STRATEGIES: dict[str, ListingStrategy] = {
    s.name: s for s in (TrsStrategy(), HanwebStrategy(), JsonApiStrategy(), PlainStrategy())
}


def strategies_for(response, hints) -> list[ListingStrategy]:
    if response.meta.get("kind") == "json":
        return [STRATEGIES["json"]]
    chosen: list[ListingStrategy] = []
    named = getattr(hints, "cms", None)
    if named in STRATEGIES and named != "json":
        chosen.append(STRATEGIES[named])
    for s in (STRATEGIES["trs"], STRATEGIES["hanweb"]):
        if s not in chosen and s.detect(response):
            chosen.append(s)
    chosen.append(STRATEGIES["plain"])
    return chosen


__all__ = ["ListingEntry", "ListingStrategy", "PageRequest", "STRATEGIES", "strategies_for"]
