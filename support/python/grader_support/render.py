"""The reply's ``msg``: xqueue-watcher's HTML for test results (docs/reference/gradelib.md, "The reply").

Courses' CSS and learners' eyes rely on this exact structure; only the text inside is ours to fill.
"""
import re

# Characters XML 1.0 forbids; the LMS parses msg as XML, so each becomes U+FFFD (an addition of ours that
# never changes well-formed output). Compiled on first need: most texts are plain ASCII without control
# characters, and compiling the pattern costs half a millisecond of every course-side start.
_XML_FORBIDDEN_PATTERN = "[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]"
_xml_forbidden = None
# The ASCII control characters XML forbids (tab, newline and carriage return are allowed).
_ASCII_FORBIDDEN = bytes(c for c in range(0x20) if c not in (0x09, 0x0a, 0x0d))


def _xml_safe(text):
    """``text`` with each XML-forbidden character replaced by U+FFFD."""
    global _xml_forbidden
    if text.isascii():
        data = text.encode("ascii")
        if len(data.translate(None, _ASCII_FORBIDDEN)) == len(data):
            return text  # nothing forbidden: no pattern needed
    if _xml_forbidden is None:
        _xml_forbidden = re.compile(_XML_FORBIDDEN_PATTERN)
    return _xml_forbidden.sub("\ufffd", text)


_PAGE = """
<div class="test">
<header>Test results</header>
  <section>
    <div class="shortform">
    {status}
    </div>
    <div class="longform">
      {errors}
      {tests}
    </div>
  </section>
</div>
"""

_PASSED = """
  <div class="result-output result-correct">
    <h4>{short}</h4>
    <pre>{long}</pre>
    <dl>
    <dt>Output:</dt>
    <dd class="result-actual-output">
       <pre>{actual}</pre>
       </dd>
    </dl>
  </div>
"""

_FAILED = """
  <div class="result-output result-incorrect">
    <h4>{short}</h4>
    <pre>{long}</pre>
    <dl>
    <dt>Your output:</dt>
    <dd class="result-actual-output"><pre>{actual}</pre></dd>
    <dt>Correct output:</dt>
    <dd><pre>{expected}</pre></dd>
    </dl>
  </div>
"""


def escape(value):
    """Text for the HTML: XML-forbidden characters replaced, then what ``html.escape(text, quote=True)`` does.

    (Not ``html`` itself: importing it loads the HTML5 entity table, milliseconds on every submission.)
    """
    text = value if isinstance(value, str) else str(value)
    text = _xml_safe(text)
    return (text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
            .replace('"', "&quot;").replace("'", "&#x27;"))


def render_results(results):
    """``results``: {"correct", "score", "errors": [str], "tests": [(short, long, correct, expected, actual)]}."""
    errors = results["errors"]
    if errors:
        status = "ERROR"
    elif results["correct"]:
        status = "CORRECT"
    else:
        status = "INCORRECT"

    errors_html = ""
    if errors:
        items = "\n".join("<li><pre>{0}</pre></li>\n".format(escape(error)) for error in errors)
        errors_html = '<div class="result-errors"><ul>\n' + items + "</ul>\n</div>"

    blocks = []
    for short, long, correct, expected, actual in results["tests"]:
        long_html = "<p>{0}</p>".format(escape(long)) if long else ""
        template = _PASSED if correct else _FAILED
        blocks.append(template.format(short=escape(short), long=long_html, actual=escape(actual),
                                      expected=escape(expected)))
    return _PAGE.format(status=status, errors=errors_html, tests="".join(blocks))
