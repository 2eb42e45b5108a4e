"""`{% options %}` writes a select's options in one call, as the loops it replaced wrote them: the chosen value
marked, every value and label escaped, the blank choice left to the template unless asked for."""

import pytest
from django.template import Context, Template

from tongtui.orgs.models import Unit

LOOP = Template(
    '{% for u in units %}<option value="{{ u.pk }}"{% if chosen == u.pk|stringformat:"s" %} selected{% endif %}>'
    "{{ u.label }}</option>{% endfor %}"
)
TAG = Template('{% load tongtui_ui %}{% options units chosen label="label" %}')


def units() -> list[Unit]:
    return [
        Unit(pk=3, name="城关镇人民政府", short_name="城关镇"),
        Unit(pk=12, name='区"住建"局 <主管> & 协办', short_name=""),
        Unit(pk=40, name="O'Brien 街道", short_name=""),
    ]


@pytest.mark.parametrize("chosen", ["", "3", "12", "40", "99", None])
def test_the_tag_writes_what_the_loop_wrote(chosen):
    context = {"units": units(), "chosen": chosen}
    old = LOOP.render(Context(context)).replace("&#x27;", "'")
    new = TAG.render(Context(context)).replace("&#x27;", "'")
    assert new == old


def test_labels_and_values_are_escaped():
    out = TAG.render(Context({"units": units(), "chosen": "12"}))
    assert '<option value="12" selected>区&quot;住建&quot;局 &lt;主管&gt; &amp; 协办</option>' in out
    assert "<主管>" not in out
    out = Template("{% load tongtui_ui %}{% options pairs %}").render(
        Context({"pairs": [('"><script>', "x")]})
    )
    assert out == '<option value="&quot;&gt;&lt;script&gt;">x</option>'


def test_pairs_a_multiple_choice_and_the_blank():
    pairs = [("", "全部"), ("assigned", "已交办"), ("closed", "已办结"), ("in_progress", "推进中")]
    tag = Template("{% load tongtui_ui %}{% options pairs chosen %}")
    out = tag.render(Context({"pairs": pairs, "chosen": ["closed", "assigned"]}))
    assert out == (
        '<option value="assigned" selected>已交办</option><option value="closed" selected>已办结</option>'
        '<option value="in_progress">推进中</option>'
    )
    with_blank = Template("{% load tongtui_ui %}{% options pairs chosen blank=True %}")
    out = with_blank.render(Context({"pairs": pairs, "chosen": ""}))
    assert out.startswith('<option value="">全部</option><option value="assigned">')
    assert "selected" not in out


def test_a_whole_number_chosen_and_an_objects_own_text():
    out = Template('{% load tongtui_ui %}{% options units chosen label="__str__" %}').render(
        Context({"units": units(), "chosen": 40})
    )
    assert '<option value="40" selected>O&#x27;Brien 街道</option>' in out
    assert out.count("selected") == 1
