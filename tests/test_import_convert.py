"""The import's own conversions, pure functions: raw HTML, embeds, headings, code, links, images."""

from __future__ import annotations

from confarchive.importer.html_to_myst import convert_html
from confarchive.importer.migrate import DROP, migrate_body


class Links:
    """Records what the migration asks; rewrites nothing unless told to."""

    def __init__(self, links=None, images=None, posts=None):
        self.links, self.images, self.posts = links or {}, images or {}, posts or {}
        self.asked: list[tuple[str, str, int]] = []

    def link(self, url, line):
        self.asked.append(("link", url, line))
        return self.links.get(url)

    def image(self, url, line):
        self.asked.append(("image", url, line))
        return self.images.get(url)

    def post_url(self, name, line):
        return self.posts.get(name)

    def variable(self, name):
        return None


def migrate(body: str, **kwargs):
    return migrate_body(body, kwargs.pop("links", Links()), label_prefix="post", **kwargs)


def test_youtube_and_vimeo_iframes_become_video_directives():
    result = migrate('Watch: <iframe width="560" height="315" src="https://www.youtube.com/embed/mPWZhknfI48?rel=0'
                     '&amp;showinfo=0" frameborder="0" allowfullscreen></iframe>\n\n'
                     '<iframe src="https://player.vimeo.com/video/182030548?title=0" title="The talk"></iframe>')
    assert result.text == (
        "Watch:\n\n:::{video} https://www.youtube.com/watch?v=mPWZhknfI48\n:::\n\n"
        ":::{video} https://vimeo.com/182030548\n:title: The talk\n:::\n"
    )
    assert result.converted["video embed"] == 2 and not result.findings


def test_other_iframes_and_gists_become_links_and_are_reported():
    result = migrate("Intro.\n\n<iframe src=\"https://open.spotify.com/embed/track/47Yf\" width=\"300\"></iframe\n\n"
                     '<script src="https://gist.github.com/Adron/c7225ebc07058f443482925a4565afee.js"></script>',
                     first_line=7)
    assert result.text == (
        "Intro.\n\n[Embedded content from open.spotify.com](https://open.spotify.com/embed/track/47Yf)\n\n"
        "[Gist Adron/c7225ebc07058f443482925a4565afee]"
        "(https://gist.github.com/Adron/c7225ebc07058f443482925a4565afee)\n"
    )
    assert [(finding.line, finding.subtype.label) for finding in result.findings] == [
        (9, "html"), (9, "embed"), (11, "embed")]
    assert "closing tag </iframe has no '>'" in result.findings[0].message


def test_an_embedded_tweet_becomes_a_quote_with_its_link_and_no_script():
    result = migrate(
        '<blockquote class="twitter-tweet" data-lang="en"><p lang="en" dir="ltr">The track is CRAZY packed!! '
        '<a href="https://twitter.com/hashtag/qconsf?src=hash">#qconsf</a></p>&mdash; Λdrøn (@Adron) '
        '<a href="https://twitter.com/Adron/status/667045151659790336">November 18, 2015</a></blockquote>\n'
        '<script async src="//platform.twitter.com/widgets.js" charset="utf-8"></script>')
    assert result.text == (
        "> The track is CRAZY packed!! [#qconsf](https://twitter.com/hashtag/qconsf?src=hash)\n>\n"
        "> — Λdrøn (@Adron) [November 18, 2015](https://twitter.com/Adron/status/667045151659790336)\n"
    )
    assert result.converted["tweet"] == 1 and result.dropped["tweet script"] == 1
    assert not result.findings


def test_markdown_inside_an_html_quote_is_read_as_markdown():
    body = ("<blockquote>Serve files in the <code>/client</code> directory.\n\n"
            "<b>server/boot/root.js</b>\n\n```javascript\nvar a = 1;\n```\n"
            "<h2>Define static middleware</h2>\nThe <em>static</em> files.</blockquote>")
    assert migrate(body).text == (
        "> Serve files in the `/client` directory.\n>\n> **server/boot/root.js**\n>\n"
        "> ```javascript\n> var a = 1;\n> ```\n>\n> **Define static middleware**\n>\n> The *static* files.\n"
    )


def test_a_faq_list_becomes_dropdowns_holding_image_floats():
    body = ('<ul class="faq">\n  <li class="faq-item">\n'
            '    <h4 class="faq-question">![Bart](bart.jpg)[Zareason](http://zareason.com) cases (open)</h4>\n'
            '    <div class="faq-answer">\n      Side notes.\n      <table>\n        <tr>\n        </tr>\n'
            '      </table>\n      <div class="image float-left">\n        ![Zeto](zeto.jpg)\n'
            '        [Zeto](http://zareason.com/zeto)\n      </div>\n    </div>\n  </li>\n</ul>')
    result = migrate(body)
    assert result.text == (
        "::::{dropdown} [Zareason](http://zareason.com) cases (open)\n![Bart](bart.jpg)\n\nSide notes.\n\n"
        ":::{image-float} zeto.jpg\n:alt: Zeto\n:align: left\n[Zeto](http://zareason.com/zeto)\n:::\n::::\n"
    )
    assert result.converted["faq item dropdown"] == 1 and result.dropped["empty table"] == 1


def test_html_lists_emphasis_links_and_roles():
    body = ('<ol>\n\t<li>Team <em>cohesion</em> and <strong> delegate </strong>.</li>\n'
            '\t<li>See <a href="http://x.org/a b" target="_blank">the docs</a>, c<sub>road</sub>.</li>\n</ol>\n'
            '* A markdown item.</li>')
    result = migrate(body)
    assert result.text == (
        "1. Team *cohesion* and  **delegate** .\n2. See [the docs](<http://x.org/a b>), c{sub}`road`.\n\n"
        "* A markdown item.\n"
    )
    assert [finding.message for finding in result.findings] == ["removed a stray </li> that closes nothing"]


def test_text_that_only_looks_like_a_tag_is_escaped_and_code_is_left_alone():
    body = "Prompt: (<branch> <branch tracking>|<local status>) and <https://x.org>.\n\n    cat <<EOT <none>\n"
    assert migrate(body).text == (
        "Prompt: (\\<branch> \\<branch tracking>|\\<local status>) and <https://x.org>.\n\n    cat <<EOT <none>\n"
    )


def test_unsafe_html_is_removed_and_reported_safe_html_kept():
    result = convert_html('<dl onclick="steal()"><dt>Term</dt><dd>Meaning</dd></dl>\n\n'
                          '<form action="/x"><input name="q"></form>\n\nText <u>underlined</u>.')
    assert result.text == "<dl><dt>Term</dt><dd>Meaning</dd></dl>\n\nText <u>underlined</u>."
    assert [finding.message for finding in result.findings] == [
        "kept raw HTML without what the HTML policy removes: attributes onclick",
        "removed <form>: the HTML policy does not allow it",
    ]


def test_heading_levels_are_renumbered_below_the_title():
    result = migrate("Intro.\n\n### Keynotes\n\nText.\n\n##### Dan\n\n## Later\n\n# Big\n\n## Under big\n",
                     first_line=5)
    assert result.text == ("Intro.\n\n## Keynotes\n\nText.\n\n### Dan\n\n## Later\n\n## Big\n\n### Under big\n")
    assert [(finding.line, finding.message) for finding in result.findings] == [
        (7, "heading 'Keynotes' was H3; written as H2 so that levels follow each other under the title"),
        (11, "heading 'Dan' was H5; written as H3 so that levels follow each other under the title"),
        (15, "heading 'Big' was H1; written as H2 so that levels follow each other under the title"),
        (17, "heading 'Under big' was H2; written as H3 so that levels follow each other under the title"),
    ]


def test_fence_languages_are_mapped_to_known_lexers_or_text():
    body = ("```shell-script\nls -la\n```\n\n```rails\nputs 1\n```\n\n```klingon\nqapla'\n```\n\n"
            "```javascript\n<head>\n<title>x</title>\n</head>\n```\n\n```javascript\n# a comment\n.DS_Store\n```\n")
    result = migrate(body)
    assert [line for line in result.text.splitlines() if line.startswith("```") and line != "```"] == [
        "```bash", "```ruby", "```text", "```html", "```text"]
    assert [finding.message for finding in result.findings] == [
        "code language 'shell-script' is not known to Pygments; written as bash",
        "code language 'rails' is not known to Pygments; written as ruby",
        "code language 'klingon' is not known to Pygments; written as text",
        "code block cannot be highlighted as javascript (it stops at '/'); written as html",
        "code block cannot be highlighted as javascript (it stops at '#'); written as text",
    ]


def test_links_and_images_go_through_the_caller_with_their_lines():
    links = Links(links={"/articles/other/": "../../2016/other/index.md"}, images={"../../etc/passwd": DROP})
    body = ('See [other](/articles/other/) and <a href="/articles/other/">again</a>.\n\n'
            "![secret](../../etc/passwd) ![kept](photo.png)\n\n```\n[not](/articles/other/)\n```\n")
    result = migrate(body, links=links, first_line=10)
    assert result.text == ("See [other](../../2016/other/index.md) and [again](../../2016/other/index.md).\n\n"
                           "secret ![kept](photo.png)\n\n```\n[not](/articles/other/)\n```\n")
    assert links.asked == [("link", "/articles/other/", 10), ("link", "/articles/other/", 10),
                           ("image", "../../etc/passwd", 12), ("image", "photo.png", 12)]


def test_anchors_become_labels_and_linked_headings_get_one():
    body = ('<a name="awsInstallation"></a>\nInstall it.\n\n<h3 id="setup">Set up</h3>\n\n## Next steps\n')
    result = migrate(body, heading_anchors=frozenset({"next-steps"}))
    assert result.text == ("(post-awsinstallation)=\n\nInstall it.\n\n(post-setup)=\n## Set up\n\n"
                           "(post-next-steps)=\n## Next steps\n")
    assert result.labels == {"awsInstallation": "post-awsinstallation", "setup": "post-setup",
                             "next-steps": "post-next-steps"}


def test_image_floats_without_alt_text_get_one_from_the_file_name():
    body = '<div class="image float-right">\n  <img src="packetbeat-fish_and-cluster.png" />\n</div>\n'
    result = migrate(body, first_line=20)
    assert result.text == (":::{image-float} packetbeat-fish_and-cluster.png\n:alt: packetbeat fish and cluster\n"
                           ":align: right\n:::\n")
    assert [(finding.line, finding.subtype.label) for finding in result.findings] == [(21, "image alt")]


def test_broken_markdown_of_old_exports_is_mended():
    body = ('Depart at **[[UPDATED `5:15pm`]] ** on Sunday, 2 ** 3 stays.\n\n'
            '[Lousy](http://a.org/x" target="_blank">Dumb</a> <a href="http://b.org/y) headphones.\n')
    result = migrate(body)
    assert result.text == ("Depart at **[[UPDATED `5:15pm`]]**  on Sunday, 2 ** 3 stays.\n\n"
                           "[Lousy](http://a.org/x) [Dumb](http://b.org/y) headphones.\n")
    assert {finding.subtype.label for finding in result.findings} == {"markdown"}


def test_jekyll_tags_and_hugo_shortcodes():
    links = Links(posts={"2016-05-06-second": "/2016/05/06/second.html", "other.md": "/posts/other/"})
    jekyll = migrate("{% highlight ruby %}\nputs 1\n{% endhighlight %}\n\n[next]({% post_url 2016-05-06-second %})\n"
                     "![x]({{ site.baseurl }}/img/x.png)\n", links=links, source_format="jekyll")
    assert jekyll.text == "```ruby\nputs 1\n```\n\n[next](/2016/05/06/second.html)\n![x](/img/x.png)\n"
    hugo = migrate('{{< youtube dQw4w9WgXcQ >}}\n\n[other]({{< ref "other.md" >}})\n\n{{< unknown thing >}}\n',
                   links=links, source_format="hugo")
    assert hugo.text == (":::{video} https://www.youtube.com/watch?v=dQw4w9WgXcQ\n:::\n\n[other](/posts/other/)\n\n"
                         "`{{< unknown thing >}}`\n")
    assert [finding.message for finding in hugo.findings] == [
        "shortcode '{{< unknown thing >}}' is not one the import knows; kept as text"]


def test_a_migrated_post_migrates_to_itself():
    body = ('<div class="image float-right">\n    ![Logo](logo.png)\n</div>\n\nIntro.\n\n<span class="more"></span>\n\n'
            "### [Dan Kohn](https://twitter.com/dankohn1)\n\n> **NOTE: Title**\n\n> Body.\n\n"
            "<blockquote>Quote <em>this</em>.</blockquote>\n")
    once = migrate(body)
    assert once.converted["speaker heading"] == 1 and once.converted["image float"] == 1
    again = migrate(once.text)
    assert again.text == once.text and not again.converted and not again.findings
