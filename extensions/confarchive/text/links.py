"""Links that come from posts and data files: checked before they become links. Pure, no Sphinx import.

A profile link of a speaker card or of ``speakers.yaml``, an event's website, an image
float's target: each is an ``http(s)`` URL (or a relative path), or a handle that names
one, never a ``javascript:``, ``data:`` or other URL a browser would run or open.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

SAFE_SCHEMES = frozenset({"http", "https"})
_SCHEME = re.compile(r"^([A-Za-z][A-Za-z0-9+.-]*):")


class RefusedLink(ValueError):
    """A link that must not become a link."""


def checked_url(value: str) -> str:
    """``value`` if it is an http(s) URL or a relative path; :class:`RefusedLink` otherwise."""
    value = value.strip()
    compact = re.sub(r"[\x00-\x20]", "", value)
    scheme = _SCHEME.match(compact)
    if scheme and scheme.group(1).lower() not in SAFE_SCHEMES:
        raise RefusedLink(f"{value!r} uses the scheme {scheme.group(1)!r}; only http and https become links")
    if value.startswith("//"):
        raise RefusedLink(f"{value!r} has no scheme; write it with https://")
    return value


def _handle_or_url(value: str, pattern: str, url_template: str, kind: str) -> tuple[str, str]:
    """(url, handle) from a handle or a profile URL."""
    value = value.strip()
    if _SCHEME.match(value) or value.startswith("//"):
        url = checked_url(value)
        path = [part for part in urlsplit(url).path.split("/") if part]
        handle = path[-1].lstrip("@") if path else urlsplit(url).netloc
        return url, handle
    handle = value.lstrip("@")
    if not re.fullmatch(pattern, handle):
        raise RefusedLink(f"{value!r} is not a {kind} handle")
    return url_template.format(handle=handle), handle


def twitter_link(value: str) -> tuple[str, str]:
    url, handle = _handle_or_url(value, r"[A-Za-z0-9_]{1,15}", "https://x.com/{handle}", "Twitter/X")
    return url, f"@{handle} on X"


def github_link(value: str) -> tuple[str, str]:
    url, handle = _handle_or_url(value, r"[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})", "https://github.com/{handle}",
                                 "GitHub")
    return url, f"{handle} on GitHub"


def bluesky_link(value: str) -> tuple[str, str]:
    url, handle = _handle_or_url(value, r"[A-Za-z0-9.-]+\.[A-Za-z]{2,}", "https://bsky.app/profile/{handle}",
                                 "Bluesky")
    return url, f"@{handle} on Bluesky"


def mastodon_link(value: str) -> tuple[str, str]:
    value = value.strip()
    match = re.fullmatch(r"@?([A-Za-z0-9_]+)@([A-Za-z0-9.-]+\.[A-Za-z]{2,})", value)
    if match:
        user, host = match.groups()
        return f"https://{host}/@{user}", f"@{user}@{host} on Mastodon"
    if _SCHEME.match(value):
        url = checked_url(value)
        parts = urlsplit(url)
        user = parts.path.strip("/").lstrip("@")
        return url, f"@{user}@{parts.netloc} on Mastodon"
    raise RefusedLink(f"{value!r} is not a Mastodon handle (@user@host) or profile URL")


def website_link(value: str) -> tuple[str, str]:
    value = value.strip()
    if not _SCHEME.match(value) and re.fullmatch(r"[A-Za-z0-9.-]+\.[A-Za-z]{2,}(/\S*)?", value):
        value = "https://" + value
    if not _SCHEME.match(value):
        raise RefusedLink(f"{value!r} is not a web address")
    url = checked_url(value)
    return url, f"Website: {urlsplit(url).netloc or url}"


#: profile link kinds, in the order cards show them
LINK_KINDS = {
    "twitter": twitter_link,
    "mastodon": mastodon_link,
    "bluesky": bluesky_link,
    "github": github_link,
    "website": website_link,
}
