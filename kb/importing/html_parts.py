"""Which HTML elements are not FAQ content: navigation, headers, footers, sidebars, comments, ads.

Judged by tag (nav, footer, aside, a site header, forms, scripts) and by the words of class,
role and id ("breadcrumb", "sidebar", "comments", "related-posts", "mw-editsection").
"""

from __future__ import annotations

import re

CODE_TAGS = {"script", "style", "noscript", "template", "svg", "iframe", "object", "canvas", "select",
              "button", "textarea", "math"}
_TAG_REASON = {"nav": "navigation", "footer": "copyright", "aside": "sidebar"}
# Words in class / id / role naming what is not content, by reason.
_CLASS_REASONS = (
    ("toc", {"toc", "toctitle", "table-of-contents"}),
    ("navigation", {"nav", "navbar", "navigation", "menu", "breadcrumb", "breadcrumbs", "pager",
                    "pagination", "jump", "skip", "editsection", "catlinks", "printfooter", "sitesub",
                    "contentsub", "headerlink", "search", "mw-head", "mw-panel", "banner", "masthead"}),
    ("comments", {"comment", "comments", "disqus", "respond", "reply", "discussion"}),
    ("share", {"share", "sharing", "social", "addthis", "sns", "sharedaddy"}),
    ("footer", {"related", "popular", "recommend", "recommended", "yarpp", "recent"}),
    ("byline", {"byline", "author", "posted", "entry-meta", "post-meta", "page-metadata", "dateline",
                "timestamp", "post-date", "metadata"}),
    ("copyright", {"footer", "colophon", "copyright", "site-info", "contentinfo", "license"}),
    ("sidebar", {"sidebar", "widget", "complementary", "aside"}),
    ("spam", {"advert", "advertisement", "ads", "ad", "sponsor", "sponsored", "promo", "cookie"}),
)
_NEVER_SKIP = {"html", "body", "main", "article", "h1", "h2", "h3", "h4", "h5", "h6", "dt", "dd", "summary"}


def skip_reason(tag: str, attrs: dict[str, str], inside_content: bool) -> str:
    """Why an element is not FAQ content (a REASONS code), or "" when it may be.

    ``inside_content``: the element sits in an <article> or <main> (a <header> there holds
    the article's own title, not the site's navigation).
    """
    if tag in CODE_TAGS:
        return "code"
    if tag in _TAG_REASON:
        return _TAG_REASON[tag]
    if tag == "header" and not inside_content:
        return "navigation"
    if tag == "form":
        return "comments" if "comment" in (attrs.get("id", "") + attrs.get("class", "")).lower() else "navigation"
    if tag in _NEVER_SKIP:
        return ""
    words = set(re.split(r"[\s_]+", " ".join((attrs.get("class", ""), attrs.get("role", ""))).lower()))
    words |= {part for w in list(words) for part in w.split("-")}
    # An id names one thing: it counts when it is a name, or ends in one ("site-footer");
    # not on a section, whose id is often made from its heading ("copyright-restrictions").
    element_id = attrs.get("id", "").lower().replace("_", "-")
    if element_id and tag not in ("section", "details"):
        words |= {element_id, element_id.rsplit("-", 1)[-1] if "-" in element_id else element_id}
    for reason, names in _CLASS_REASONS:
        # Long names also inside a word ("sphinxsidebar", "site-footer-widgets").
        if words & names or any(n in w for n in names if len(n) >= 7 and "-" not in n for w in words):
            return reason
    return ""
