"""TRS WCM static lists: ``index.html``, ``index_1.html`` … written by ``createPageHTML(...)``."""
from __future__ import annotations

import re
from urllib.parse import urljoin

from .base import ListingStrategy, PageRequest

_CALL = re.compile(r"createPageHTML\s*\(([^)]*)\)", re.I)
_EXTS = ("html", "htm", "shtml", "jhtml")


def parse_create_page_html(text: str) -> tuple[int, int, str, str] | None:
    """(page_count, current_index, page_name, page_ext) from a ``createPageHTML`` call.

    Handles the classic 4-argument form and the newer ``createPageHTML('div', count, cur, 'index',
    'html', total)`` form: the first integer is the count, the name is the string before the
    extension."""
    for m in _CALL.finditer(text):
        args = [_resolve(a.strip().strip("'\""), text) for a in m.group(1).split(",")]
        nums = [int(a) for a in args if a.isdigit()]
        try:
            ext_i = max(i for i, a in enumerate(args) if a.lower() in _EXTS)
        except ValueError:
            continue
        if not nums or ext_i == 0:
            continue
        name = args[ext_i - 1]
        if not re.fullmatch(r"[\w-]+", name):
            continue
        cur = nums[1] if len(nums) > 1 else 0
        return nums[0], cur, name, args[ext_i]
    return None


def _resolve(arg: str, text: str) -> str:
    """``createPageHTML(countPage, currentPage, ...)``: a variable's value from ``var countPage = 5``."""
    if re.fullmatch(r"[A-Za-z_]\w*", arg) and arg.lower() not in _EXTS:
        m = re.search(rf"\b{re.escape(arg)}\s*=\s*['\"]?(\d+)", text)
        if m:
            return m.group(1)
    return arg


class TrsStrategy(ListingStrategy):
    name = "trs"

    def detect(self, response) -> bool:
        return "createPageHTML" in response.text

    def next_pages(self, response, hints) -> list[PageRequest]:
        parsed = parse_create_page_html(response.text)
        if not parsed:
            return []
        count, _cur, name, ext = parsed
        cap = (hints.max_pages if hints and hints.max_pages else None) or count
        return [PageRequest(urljoin(response.url, f"{name}_{i}.{ext}")) for i in range(1, min(count, cap))]
