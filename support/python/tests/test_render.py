"""The msg HTML, byte for byte."""
from grader_support.render import render_results

import legacy_grade

EMPTY_PAGE = ('\n<div class="test">\n<header>Test results</header>\n  <section>\n    <div class="shortform">\n'
              '    {status}\n    </div>\n    <div class="longform">\n      {errors}\n      {tests}\n    </div>\n'
              '  </section>\n</div>\n')


def page(status, errors="", tests=""):
    return EMPTY_PAGE.format(status=status, errors=errors, tests=tests)


def render(correct=False, errors=(), tests=()):
    return render_results({"correct": correct, "score": 0, "errors": list(errors), "tests": list(tests)})


def test_an_empty_correct_reply():
    assert render(correct=True) == page("CORRECT")
    assert render(correct=False) == page("INCORRECT")


def test_errors_are_listed_with_an_empty_line_between_them_and_escaped():
    errors = ("<div class=\"result-errors\"><ul>\n<li><pre>first &amp; &lt;one&gt;</pre></li>\n\n"
              "<li><pre>Don&#x27;t &quot;quote&quot;</pre></li>\n</ul>\n</div>")
    assert render(correct=True, errors=["first & <one>", "Don't \"quote\""]) == page("ERROR", errors=errors)


def test_passed_and_failed_blocks():
    passed = ('\n  <div class="result-output result-correct">\n    <h4>Test: f(1)</h4>\n    <pre></pre>\n'
              '    <dl>\n    <dt>Output:</dt>\n    <dd class="result-actual-output">\n       <pre>1\n</pre>\n'
              '       </dd>\n    </dl>\n  </div>\n')
    failed = ('\n  <div class="result-output result-incorrect">\n    <h4>Test: &lt;g&gt;</h4>\n'
              '    <pre><p>long &amp; detailed</p></pre>\n    <dl>\n    <dt>Your output:</dt>\n'
              '    <dd class="result-actual-output"><pre>2\n</pre></dd>\n    <dt>Correct output:</dt>\n'
              '    <dd><pre>3\n</pre></dd>\n    </dl>\n  </div>\n')
    tests = [("Test: f(1)", None, True, "1\n", "1\n"), ("Test: <g>", "long & detailed", False, "3\n", "2\n")]
    assert render(tests=tests) == page("INCORRECT", tests=passed + failed)


def test_errors_come_before_tests_and_win_the_status():
    msg = render(correct=True, errors=["bad"], tests=[("Test: a", "", True, "x", "x")])
    assert msg.startswith(page("ERROR", errors='<div class="result-errors"><ul>\n<li><pre>bad</pre></li>\n</ul>\n</div>',
                               tests="")[:-len("\n    </div>\n  </section>\n</div>\n")])
    assert msg.index("result-errors") < msg.index("result-output")


def test_truthy_values_pass_and_falsy_long_descriptions_are_omitted():
    msg = render(tests=[("s", 0, 1, "e", "a"), ("t", "", 0.0, "e", "a")])
    assert msg.count("result-correct") == 1 and msg.count("result-incorrect") == 1
    assert msg.count("<pre></pre>") == 2


def test_non_text_values_are_shown_as_text():
    msg = render(tests=[(3, ["x"], True, "e", "a")])
    assert "<h4>3</h4>" in msg and "<pre><p>[&#x27;x&#x27;]</p></pre>" in msg


def test_xml_forbidden_characters_become_replacement_characters():
    msg = render(errors=["a\x00b\x1bc\td\ne\rf\ufffeg\ud800h\x7fi"])
    assert "<li><pre>a\ufffdb\ufffdc\td\ne\rf\ufffdg\ufffdh\x7fi</pre></li>" in msg


def test_the_host_constants_of_the_unjailed_driver_are_rendered_replies():
    assert legacy_grade.SKIPPED_MSG == render(correct=True)
    assert legacy_grade.COURSE_FAILURE_MSG == render(
        errors=["There was a problem running the staff solution (Staff debug: L364)"])


def test_escape_is_html_escape_with_quotes():
    import html
    from grader_support.render import escape
    for text in ["", "plain", "&amp;", "<a href=\"x\">it's</a>", "&<>\"'" * 3, "é ü \u2028 \U0001F600"]:
        assert escape(text) == html.escape(text, quote=True)
