"""Reading a rendered ``msg`` back into its parts (status, errors, test blocks) for assertions."""
import html
import re

_STATUS = re.compile(r'<div class="shortform">\s*(\S+)\s*</div>')
_ERROR = re.compile(r"<li><pre>(.*?)</pre></li>", re.S)
_PASSED = re.compile(r'<div class="result-output result-correct">\s*<h4>(.*?)</h4>\s*<pre>(.*?)</pre>\s*<dl>\s*'
                     r'<dt>Output:</dt>\s*<dd class="result-actual-output">\s*<pre>(.*?)</pre>', re.S)
_FAILED = re.compile(r'<div class="result-output result-incorrect">\s*<h4>(.*?)</h4>\s*<pre>(.*?)</pre>\s*<dl>\s*'
                     r'<dt>Your output:</dt>\s*<dd class="result-actual-output"><pre>(.*?)</pre></dd>\s*'
                     r'<dt>Correct output:</dt>\s*<dd><pre>(.*?)</pre></dd>', re.S)
_BLOCK = re.compile(r'<div class="result-output result-(correct|incorrect)">')


def status(msg):
    return _STATUS.search(msg).group(1)


def errors(msg):
    return [html.unescape(text) for text in _ERROR.findall(msg)]


def _long(text):
    if not text:
        return None
    assert text.startswith("<p>") and text.endswith("</p>"), text
    return html.unescape(text[3:-4])


def tests(msg):
    """[{"short", "long", "passed", "actual", "expected"?}] in order."""
    blocks = []
    for match in _BLOCK.finditer(msg):
        if match.group(1) == "correct":
            short, long, actual = _PASSED.match(msg, match.start()).groups()
            blocks.append({"short": html.unescape(short), "long": _long(long), "passed": True,
                           "actual": html.unescape(actual)})
        else:
            short, long, actual, expected = _FAILED.match(msg, match.start()).groups()
            blocks.append({"short": html.unescape(short), "long": _long(long), "passed": False,
                           "actual": html.unescape(actual), "expected": html.unescape(expected)})
    return blocks


def check(reply, expect):
    """Assert every part of an expected.json ``expect`` object against a reply."""
    msg = reply["msg"]
    assert reply["correct"] is expect["correct"], reply
    assert reply["score"] == expect["score"] and not isinstance(reply["score"], bool), reply
    if "outcome" in expect:
        assert reply["outcome"] == expect["outcome"], reply
    if "status" in expect:
        assert status(msg) == expect["status"], msg
    if "errors" in expect:
        assert errors(msg) == expect["errors"], msg
    if "tests" in expect:
        got = tests(msg)
        assert len(got) == len(expect["tests"]), msg
        for block, wanted in zip(got, expect["tests"]):
            for key, value in wanted.items():
                assert block[key] == value, (key, block, wanted)
    for part in expect.get("msg_contains", []):
        assert part in msg, (part, msg)
    for part in expect.get("msg_excludes", []):
        assert part not in msg, (part, msg)
    position = 0
    for part in expect.get("msg_in_order", []):
        found = msg.find(part, position)
        assert found >= 0, ("not in order", part, msg)
        position = found + len(part)
    for part, count in expect.get("msg_counts", {}).items():
        assert msg.count(part) == count, (part, count, msg)
