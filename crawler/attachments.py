"""Attachments of a report page: links to files, PDFs behind iframe/embed/pdf.js, and their names.

Attachment URLs are always fetched by the plain downloader (through a browser a PDF comes back
as an HTML viewer stub).
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import parse_qs, unquote, urljoin, urlsplit

EXTENSIONS = (".pdf", ".doc", ".docx", ".wps", ".xls", ".xlsx", ".et", ".ofd")
# link texts that announce a download even when the URL hides the file (download.jsp?id=...)
_DOWNLOAD_TEXT = re.compile(r"附件|下载|全真版|文字版|图片版|超链版|原文|\.(pdf|docx?|wps|xlsx?)\s*$", re.I)
# a link text that is a file name ("某区2024年报.pdf") names a file whatever the URL (oss/file?id=)
_FILE_LABEL = re.compile(r"\.(pdf|docx?|wps|xlsx?|et|ofd)\s*$", re.I)
_PAGE_URL = re.compile(r"\.(s?html?|jhtml)$|/$", re.I)
_ATTACHMENT_CONTEXT = re.compile(r"附\s*件|下\s*载")
_DOWNLOAD_URL = re.compile(r"download|attach|fileid|getfile|filedown|/file/|downfile", re.I)

# magic numbers of the formats we keep as attachments (content sniffing beats headers on gov sites)
_MAGIC = {b"%PDF": "application/pdf", b"\xd0\xcf\x11\xe0": "application/msword", b"PK\x03\x04": "application/zip"}


@dataclass
class AttachmentLink:
    url: str
    label: str
    via: str  # a | iframe | embed | object | pdfjs


def has_attachment_ext(url: str) -> bool:
    path = unquote(urlsplit(url).path).lower()
    return path.endswith(EXTENSIONS)


def _pdfjs_target(url: str) -> str | None:
    q = parse_qs(urlsplit(url).query)
    for key in ("file", "src", "url"):
        if key in q and q[key]:
            return q[key][0]
    return None


def unwrap_viewer(url: str) -> str:
    """The file behind a pdf.js-style viewer URL (``/pdfjs/web/viewer.html?file=%2F...pdf``), else the URL."""
    target = _pdfjs_target(url)
    if target and ("viewer" in url.lower() or "pdfjs" in url.lower() or has_attachment_ext(target)):
        return urljoin(url, target)
    return url


_FRAME_TOKEN = re.compile(r"(?:^|[\s_-])(footer|foot|header|nav|navbar|menu|sidebar|breadcrumbs?|crumbs?)(?:$|[\s_-])", re.I)


def _in_page_frame(a) -> bool:
    for el in a.xpath("ancestor::*"):
        tag = el.root.tag if isinstance(el.root.tag, str) else ""
        if tag in ("header", "footer", "nav", "aside"):
            return True
        if _FRAME_TOKEN.search(el.attrib.get("class", "") + " " + el.attrib.get("id", "")):
            return True
    return False


def find_attachments(selector, base_url: str) -> list[AttachmentLink]:
    """Every file link in a (report page) selector, in document order, without duplicates."""
    found: list[AttachmentLink] = []
    seen: set[str] = set()

    def add(href: str | None, label: str, via: str, context: str = "") -> None:
        if not href or href.startswith(("javascript:", "mailto:", "#")):
            return
        url = urljoin(base_url, href.strip())
        target = unwrap_viewer(url)
        if target != url:
            url, via = target, "pdfjs"
        if url in seen:
            return
        # a plain page ("下载中心" → /download/index.html) is never a file, whatever its text says
        page_like = bool(_PAGE_URL.search(urlsplit(url).path)) and not urlsplit(url).query
        if via != "a" or has_attachment_ext(url) or not page_like and (
            _DOWNLOAD_URL.search(url) and (_DOWNLOAD_TEXT.search(label or "") or _ATTACHMENT_CONTEXT.search(context))
            or _FILE_LABEL.search(label or "")
        ):
            if via in ("iframe", "embed", "object") and not (has_attachment_ext(url) or _DOWNLOAD_URL.search(url)):
                return  # an iframe with a map or a video, not a file
            seen.add(url)
            found.append(AttachmentLink(url=url, label=(label or "").strip(), via=via))

    from .strategies.base import scripted_href

    for a in selector.css("a[href], a[onclick]"):
        if _in_page_frame(a):
            continue  # the site's header/menu/footer ("申请表下载"), not the report's files
        label = a.attrib.get("title") or " ".join(t.strip() for t in a.css("::text").getall() if t.strip())
        # "附件：<a href=download?fileId=..>某某年度报告</a>": the link text is only the file's title
        before = a.xpath("preceding-sibling::text()[1] | ../preceding-sibling::*[1]//text()").getall()
        href = (a.attrib.get("href") or "").strip()
        if not href or href.startswith(("javascript:", "#")):
            href = scripted_href(a.attrib.get("onclick", "") + " " + href)  # onclick="download('/x.pdf')"
        add(href, label, "a", " ".join(before)[-40:])
    for tag, attr in (("iframe", "src"), ("embed", "src"), ("object", "data")):
        for el in selector.css(f"{tag}[{attr}]"):
            add(el.attrib.get(attr), el.attrib.get("title", ""), tag)
    return found


def sniff_type(body: bytes, header_type: str | None) -> str:
    """The content type from the first bytes; the header only when the bytes say nothing."""
    for magic, ctype in _MAGIC.items():
        if body.startswith(magic):
            if ctype == "application/zip" and header_type and "officedocument" in header_type:
                return header_type
            if ctype == "application/zip" and b"word/" in body[:4000]:
                return "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
            return ctype
    head = body[:512].lstrip().lower()
    if head.startswith((b"<!doctype html", b"<html", b"<head", b"<meta", b"<body", b"<div", b"<table", b"<!--",
                        b"<title", b"<script", b"<link", b"<p>", b"<ul", b"<h1")):
        return "text/html"
    if head.startswith((b"<?xml", b"<datastore")):
        return "text/xml"
    if head[:1] in (b"{", b"["):
        return "application/json"
    return (header_type or "application/octet-stream").split(";")[0].strip().lower()


def is_document_type(ctype: str) -> bool:
    """A report file rather than a web page."""
    return not (ctype.startswith("text/") or "html" in ctype or "json" in ctype or "xml" in ctype)


def filename_from_disposition(raw: bytes | str | None) -> str | None:
    """File name from Content-Disposition: RFC 5987 ``filename*=UTF-8''...``, else ``filename=``
    in UTF-8, GBK or percent-encoded form (all three are common on Chinese portals)."""
    if not raw:
        return None
    if isinstance(raw, str):
        raw = raw.encode("utf-8")  # already decoded (UTF-8 or GBK) by the spider
    m = re.search(rb"filename\*\s*=\s*([\w-]+)'[^']*'([^;]+)", raw, re.I)
    if m:
        charset = m.group(1).decode("ascii", "replace") or "utf-8"
        try:
            return unquote(m.group(2).strip().strip(b'"').decode("ascii"), encoding=charset, errors="strict")
        except (UnicodeDecodeError, LookupError):
            pass
    m = re.search(rb'filename\s*=\s*"([^"]*)"', raw, re.I) or re.search(rb"filename\s*=\s*([^;]+)", raw, re.I)
    if not m:
        return None
    value = m.group(1).strip()
    for enc in ("utf-8", "gb18030"):
        try:
            text = value.decode(enc)
            break
        except UnicodeDecodeError:
            continue
    else:
        text = value.decode("latin-1")
    if "%" in text:
        for enc in ("utf-8", "gb18030"):
            try:
                return unquote(text, encoding=enc, errors="strict")
            except UnicodeDecodeError:
                continue
    return text or None


def filename_from_url(url: str) -> str | None:
    name = unquote(urlsplit(url).path.rsplit("/", 1)[-1])
    return name or None
