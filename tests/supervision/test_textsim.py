from hypothesis import given
from hypothesis import strategies as st

from tongtui.supervision.signals.flags import FlagKind
from tongtui.supervision.signals.textsim import (
    ShingleCorpus,
    TextRules,
    cosine,
    jaccard,
    near_duplicate_flags,
    normalise,
    shingles,
    similarity,
)

from .helpers import D, rep

LONG = (
    "本月完成城东污水处理厂二期主体结构施工,完成投资3000万元,累计完成年度计划的45%,下一步推进设备安装调试。"
)
SAME_WITH_OTHER_FIGURES = "本月完成城东污水处理厂二期主体结构施工, 完成投资3,500万元, 累计完成年度计划的52%; 下一步推进设备安装调试."
UNRELATED = "组织召开农村人居环境整治现场推进会,对十二个村的垃圾分类和厕所改造情况开展督导检查,发现问题六处已全部整改。"


def test_normalising_drops_punctuation_and_spaces_and_collapses_digits():
    assert normalise("完成投资 3,000 万元。") == "完成投资0万元"
    assert normalise("ＡＢＣ１２３，好") == "abc0好"


def test_shingles_are_character_trigrams():
    assert shingles("推进会议") == {"推进会", "进会议"}
    assert shingles("推进") == {"推进"}
    assert shingles("。。") == frozenset()


def test_changed_figures_and_punctuation_do_not_hide_a_copy():
    assert similarity(LONG, SAME_WITH_OTHER_FIGURES) == 1.0
    assert similarity(LONG, UNRELATED) < 0.05


def test_cosine_and_jaccard_agree_on_the_extremes():
    a, b = shingles(LONG), shingles(UNRELATED)
    assert jaccard(a, a) == cosine(a, a) == 1.0
    assert jaccard(a, set()) == cosine(a, set()) == 0.0
    assert cosine(a, b) >= jaccard(a, b)


texts = st.text(alphabet=st.sampled_from("推进完成项目建设工作督查整改,。 0123"), max_size=60)


@given(texts, texts, st.sampled_from(["jaccard", "cosine"]))
def test_similarity_is_symmetric_and_between_0_and_1(a, b, measure):
    s = similarity(a, b, measure=measure)
    assert s == similarity(b, a, measure=measure)
    assert 0.0 <= s <= 1.0


@given(texts, st.sampled_from([2, 3]), st.sampled_from(["jaccard", "cosine"]))
def test_identical_texts_are_fully_similar(a, n, measure):
    assert similarity(a, a, n, measure) == 1.0


@given(st.lists(texts, min_size=2, max_size=6), st.data())
def test_weighted_similarity_in_a_corpus_is_symmetric(corpus_texts, data):
    corpus = ShingleCorpus(corpus_texts, TextRules(min_chars=0))
    i = data.draw(st.integers(0, len(corpus_texts) - 1))
    j = data.draw(st.integers(0, len(corpus_texts) - 1))
    a, b = corpus.sets[i], corpus.sets[j]
    assert abs(corpus.weighted_jaccard(a, b) - corpus.weighted_jaccard(b, a)) < 1e-12
    assert corpus.weighted_jaccard(a, a) == 1.0


def report(rid, unit, period, text, task=None, submitted=None):
    return rep(period, 40, submitted=submitted, text=text, report_id=rid, unit_id=unit, task_id=task or rid)


def test_a_report_repeating_the_units_earlier_report_is_flagged_on_the_later_one():
    reports = [report(1, 10, D(2026, 3, 31), LONG), report(2, 10, D(2026, 4, 30), SAME_WITH_OTHER_FIGURES)]
    flags = near_duplicate_flags(reports, D(2026, 5, 10))
    assert [(f.kind, f.report_id) for f in flags] == [(FlagKind.TEXT_REPEATS_OWN, 2)]
    f = flags[0]
    assert f.figures["other_report"] == 1 and f.figures["similarity"] == 100.0
    assert f.text("zh") == "报告文字与本单位2026-03-31的报告高度相似(相似度100%)"


def test_another_units_report_for_the_same_period_is_flagged():
    reports = [
        report(1, 10, D(2026, 3, 31), LONG, submitted=D(2026, 4, 2)),
        report(2, 20, D(2026, 3, 31), SAME_WITH_OTHER_FIGURES, submitted=D(2026, 4, 3)),
    ]
    flags = near_duplicate_flags(reports, D(2026, 5, 10))
    assert [(f.kind, f.report_id, f.figures["other_unit"]) for f in flags] == [
        (FlagKind.TEXT_MATCHES_OTHER_UNIT, 2, 10)
    ]


def test_two_units_submitting_alike_on_the_same_day_are_both_flagged():
    reports = [report(1, 10, D(2026, 3, 31), LONG), report(2, 20, D(2026, 3, 31), LONG)]
    assert sorted(f.report_id for f in near_duplicate_flags(reports, D(2026, 5, 10))) == [1, 2]


def test_other_units_in_other_periods_are_not_compared():
    reports = [report(1, 10, D(2026, 3, 31), LONG), report(2, 20, D(2026, 4, 30), LONG)]
    assert near_duplicate_flags(reports, D(2026, 5, 10)) == []


def test_a_correction_of_the_same_report_is_not_a_copy():
    reports = [report(1, 10, D(2026, 3, 31), LONG, task=5), report(2, 10, D(2026, 3, 31), LONG, task=5)]
    assert near_duplicate_flags(reports, D(2026, 5, 10)) == []


def test_different_texts_are_not_flagged():
    reports = [report(1, 10, D(2026, 3, 31), LONG), report(2, 10, D(2026, 4, 30), UNRELATED)]
    assert near_duplicate_flags(reports, D(2026, 5, 10)) == []


def test_short_common_texts_are_never_flagged_as_copies():
    reports = [report(i, i % 7, D(2026, 3, 31), "按计划推进,无问题。") for i in range(50)]
    reports += [report(100 + i, 3, D(2026, 1 + i, 28), "按计划推进中,暂无困难和问题。") for i in range(5)]
    assert near_duplicate_flags(reports, D(2026, 12, 31)) == []


POOL = "东西南北中城乡村镇街路桥河湖山林田园厂房楼院站场馆校医养老幼水电气网"


def own_sentence(i: int) -> str:
    import random

    rng = random.Random(i)
    return "完成" + "".join(rng.choice(POOL) for _ in range(24)) + "项目建设。"


def test_stock_phrases_shared_by_many_reports_do_not_make_texts_alike():
    stock = "深入贯彻落实区委区政府决策部署,高位推动,压实责任,强化调度,确保各项工作按时序推进。"
    reports = [report(i, i, D(2026, 3, 31), stock + own_sentence(i)) for i in range(100)]
    copied = report(100, 100, D(2026, 3, 31), stock + own_sentence(7), submitted=D(2026, 4, 9))
    flagged = near_duplicate_flags([*reports, copied], D(2026, 5, 1))
    assert [(f.report_id, f.figures["other_report"]) for f in flagged] == [(100, 7)]
    # without the corpus discount the stock phrase alone makes the texts look much alike
    assert similarity(reports[0].text, reports[1].text) > 0.4


def test_reports_submitted_after_the_evaluation_date_are_left_out():
    reports = [
        report(1, 10, D(2026, 3, 31), LONG),
        report(2, 10, D(2026, 4, 30), LONG, submitted=D(2026, 5, 20)),
    ]
    assert near_duplicate_flags(reports, D(2026, 5, 10)) == []
    assert len(near_duplicate_flags(reports, D(2026, 5, 21))) == 1


def test_candidate_search_finds_every_pair_an_exhaustive_comparison_finds():
    import random

    rng = random.Random(7)
    words = [LONG, UNRELATED, SAME_WITH_OTHER_FIGURES, "协调解决用地指标和融资问题并完成土地征收三百亩"]
    texts_ = []
    for _ in range(120):
        base = list(rng.choice(words))
        for _ in range(rng.randrange(0, 12)):
            base[rng.randrange(len(base))] = rng.choice("甲乙丙丁戊己庚辛壬癸")
        texts_.append("".join(base))
    rules = TextRules(candidate_threshold=0.5, common_min_count=1000)
    corpus = ShingleCorpus(texts_, rules)
    found = set(corpus.candidate_pairs())
    for i in range(len(texts_)):
        for j in range(i):
            a = {s for s in corpus.sets[i] if not corpus.is_common(s)}
            b = {s for s in corpus.sets[j] if not corpus.is_common(s)}
            if len(a) >= rules.min_shared and len(b) >= rules.min_shared and jaccard(a, b) >= 0.5:
                assert (j, i) in found


@given(
    st.lists(
        st.text(alphabet=st.sampled_from("甲乙丙丁戊己庚"), min_size=3, max_size=25), min_size=2, max_size=12
    ),
    st.sampled_from([0.3, 0.5, 0.8]),
    st.integers(1, 4),
)
def test_candidate_search_is_exact_for_the_distinctive_jaccard(texts_, t, common_min_count):
    rules = TextRules(
        min_chars=0, min_shared=1, candidate_threshold=t, common_min_count=common_min_count, common_share=0
    )
    corpus = ShingleCorpus(texts_, rules)
    found = set(corpus.candidate_pairs())
    for i in range(len(texts_)):
        for j in range(i):
            a, b = corpus.distinctive(i), corpus.distinctive(j)
            if a and b and len(a & b) >= 1 and jaccard(a, b) >= t:
                assert (j, i) in found
