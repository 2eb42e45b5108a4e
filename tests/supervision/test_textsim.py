import random
from itertools import combinations

from hypothesis import given
from hypothesis import strategies as st

from tongtui.supervision.signals.flags import FlagKind
from tongtui.supervision.signals.textsim import (
    FIGURES_CHANGED_ONLY,
    SAME_AS_PREFILL,
    TextCorpus,
    TextRules,
    cosine,
    find_copies,
    jaccard,
    near_duplicate_flags,
    normalise,
    prefill_similarity,
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


def test_shingles_are_character_ngrams():
    assert shingles("推进会议") == {"推进会", "进会议"}
    assert shingles("推进会议", 4) == {"推进会议"}
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


# A small district writing to one template: every report names its task's project and goal, two of the
# task's activities and a place; what differs from month to month is which activities and which place.
TEMPLATE = "围绕{project},本月重点推进{a}和{b}工作,在{place}完成{n}户,召开专题调度会{m}次。下一步将持续推进{c},确保{goal}。"
ACTS = (
    "管网铺设 土方开挖 基础施工 主体结构浇筑 钢结构吊装 路面摊铺 雨污管道接驳 设备安装调试 外立面改造 绿化景观施工 "
    "弱电管线预埋 屋面防水施工 消防设施安装 竣工资料整理 配套道路施工 围挡搭设 可研报告编制 初步设计评审 施工图审查 "
    "用地预审 环评公示 招标文件编制 施工招标 征迁入户调查 房屋评估 征收协议签订 青苗补偿 规划方案论证"
).split()
NAMES = "安宝北昌晨成大德东丰福港光广贵国海和河宏华惠吉佳建江金锦景九康乐丽利良林龙隆茂美民明南宁鹏平启"
RULES = TextRules(
    template_min_count=30
)  # in this small district, what 30 of its 96 reports say is the template


def district(tasks: int = 12, months: int = 8, seed: int = 3):
    rng = random.Random(seed)
    reports = []
    for t in range(tasks):
        project = "城关 河西 东湖 南岭 北塘 新港 青山 石桥 龙泉 枫林 桃源 白沙".split()[t] + "片区改造工程"
        goal = rng.choice(["年底前全面竣工", "主体工程按期完工", "按期交付使用"])
        pool = rng.sample(ACTS, 8)
        for m in range(1, months + 1):
            a, b, c = rng.sample(pool, 3)
            place = rng.choice(NAMES) + rng.choice(NAMES) + rng.choice(["村", "社区", "片区", "路段"])
            text = TEMPLATE.format(
                project=project, a=a, b=b, c=c, goal=goal, place=place,
                n=rng.randint(3, 900), m=rng.randint(1, 6),
            )  # fmt: skip
            reports.append(report(100 * t + m, unit=t, period=D(2026, m, 28), text=text, task=t))
    return reports


def report(rid, unit, period, text, task=None, submitted=None):
    task_id = rid if task is None else task
    return rep(period, 40, submitted=submitted, text=text, report_id=rid, unit_id=unit, task_id=task_id)


def test_honest_reports_sharing_the_template_and_their_tasks_words_are_not_copies():
    reports = district()
    assert (
        similarity(reports[0].text, reports[1].text) > 0.5
    )  # most of every text is the template and the task's
    assert near_duplicate_flags(reports, D(2026, 12, 31), RULES) == []


def test_a_retouched_copy_of_the_units_own_earlier_report_is_flagged_with_the_passages_that_match():
    reports = district()
    source = reports[2]  # task 0, March
    copied = source.text.replace("召开", "组织召开").replace("下一步将持续", "下一步将继续")
    copied = (
        "".join(str((int(ch) + 3) % 10) if ch.isdigit() else ch for ch in copied) + "同时做好后续衔接工作。"
    )
    reports[5] = report(6, unit=0, period=D(2026, 6, 28), text=copied, task=0)
    (flag,) = near_duplicate_flags(reports, D(2026, 12, 31), RULES)
    assert (flag.kind, flag.report_id, flag.figures["other_report"]) == (FlagKind.TEXT_REPEATS_OWN, 6, 3)
    assert flag.figures["similarity"] >= 90
    assert flag.figures["passages"] and all(p in source.text for p in flag.figures["passages"])
    assert flag.text("zh").startswith("报告中本期特有的内容与本单位2026-03-28的报告雷同")
    assert flag.figures["passages"][0] in flag.text("en")


def test_another_units_report_of_an_earlier_period_copied_under_its_own_project_name_is_flagged():
    reports = district()
    source = reports[8 + 1]  # task 1, February
    project_of_5 = "新港片区改造工程"
    copied = source.text.replace("河西片区改造工程", project_of_5)
    reports[5 * 8 + 4] = report(505, unit=5, period=D(2026, 5, 28), text=copied, task=5)
    flags = near_duplicate_flags(reports, D(2026, 12, 31), RULES)
    assert [(f.kind, f.report_id, f.figures["other_unit"]) for f in flags] == [
        (FlagKind.TEXT_MATCHES_OTHER_UNIT, 505, 1)
    ]


def test_two_units_submitting_alike_the_same_day_are_both_flagged():
    reports = district()
    text = reports[3].text
    reports[3] = report(4, unit=0, period=D(2026, 4, 28), text=text, task=0)
    reports[8 + 3] = report(104, unit=1, period=D(2026, 4, 28), text=text, task=1)
    flagged = near_duplicate_flags(reports, D(2026, 12, 31), RULES)
    assert sorted(f.report_id for f in flagged) == [4, 104]


def test_a_correction_of_the_same_report_is_not_a_copy():
    reports = [report(1, 10, D(2026, 3, 31), LONG, task=5), report(2, 10, D(2026, 3, 31), LONG, task=5)]
    assert near_duplicate_flags(reports, D(2026, 5, 10), RULES) == []


def test_short_common_texts_are_never_flagged_as_copies():
    reports = [report(i, i % 7, D(2026, 3, 31), "按计划推进,无问题。") for i in range(50)]
    reports += [report(100 + i, 3, D(2026, 1 + i, 28), "按计划推进中,暂无困难和问题。") for i in range(5)]
    assert near_duplicate_flags(reports, D(2026, 12, 31)) == []


def test_reports_submitted_after_the_evaluation_date_are_left_out():
    reports = [
        report(1, 10, D(2026, 3, 31), LONG),
        report(2, 10, D(2026, 4, 30), SAME_WITH_OTHER_FIGURES, submitted=D(2026, 5, 20)),
    ]
    assert near_duplicate_flags(reports, D(2026, 5, 10)) == []
    (flag,) = near_duplicate_flags(reports, D(2026, 5, 21))
    assert flag.report_id == 2 and flag.figures["similarity"] == 100.0


def test_the_template_and_the_tasks_own_wording_weigh_little():
    reports = district()
    corpus = TextCorpus(reports, RULES)
    text, weights = corpus.texts[0], corpus.weights(0)
    heavy = "".join(ch for ch, w in zip(text, weights, strict=True) if w == 1.0)
    assert "围绕" not in heavy and "召开专题调度会" not in heavy  # the template
    assert "城关片区改造工程" not in heavy  # the task's project, in every one of its reports
    place = reports[0].text.split("在")[1][:2]
    assert place in heavy  # this report's place


def test_the_candidate_search_finds_every_pair_sharing_enough_rare_shingles():
    rng = random.Random(7)
    pieces = [LONG, UNRELATED, "协调解决用地指标和融资问题并完成土地征收三百亩", "推进东岭村安置房主体封顶"]
    texts_ = []
    for _ in range(80):
        base = list(rng.choice(pieces) + rng.choice(pieces))
        for _ in range(rng.randrange(0, 10)):
            base[rng.randrange(len(base))] = rng.choice("甲乙丙丁戊己庚辛壬癸")
        texts_.append("".join(base))
    reports = [report(i + 1, i, D(2026, 3, 31), t) for i, t in enumerate(texts_)]
    rules = TextRules(rare_count=6, min_rare_shared=3)
    corpus = TextCorpus(reports, rules)
    found = set(corpus.candidates())
    for j, i in combinations(range(len(reports)), 2):
        rare = {g for g in corpus.sets[i] & corpus.sets[j] if corpus.df[g] <= rules.rare_count}
        assert ((j, i) in found) == (len(rare) >= rules.min_rare_shared)


def test_a_match_names_the_later_report_and_scores_the_earlier_ones_particular_text():
    reports = district()
    reports[10] = report(103, unit=1, period=D(2026, 3, 28), text=reports[1].text, task=1)
    (m,) = find_copies(reports, RULES)
    assert (reports[m.later].report_id, reports[m.earlier].report_id) == (103, 2)
    assert m.score == 1.0 and m.later_score == 1.0


def test_a_text_that_is_what_the_form_prefilled_is_not_the_units_own_account():
    plan = "下一步将重点抓好雨污管网铺设和路面恢复,确保6月底前完成主体工程。"
    assert prefill_similarity(plan, prefilled_text=plan) == SAME_AS_PREFILL
    assert prefill_similarity(plan.replace("。", "") + " ", prefilled_text=plan) == SAME_AS_PREFILL


def test_last_periods_report_with_only_the_figures_changed_is_caught():
    last = "本月完成管网铺设1.2公里,累计完成工程量约45%,召开推进会3次,解决管线迁改等问题2项。"
    new = "本月完成管网铺设2.5公里,累计完成工程量约60%,召开推进会2次,解决管线迁改等问题4项。"
    assert prefill_similarity(new, last_text=last) == FIGURES_CHANGED_ONLY


def test_a_report_of_its_own_is_not_judged_a_repeat():
    last = "本月完成管网铺设1.2公里,累计完成工程量约45%,召开推进会3次,解决管线迁改等问题2项。"
    new = "本月完成东岭村段路面恢复800米和雨水井改造12座,泵站设备进场,累计完成工程量约60%。"
    assert prefill_similarity(new, prefilled_text="下一步将推进路面恢复。", last_text=last) is None
    assert prefill_similarity("", last_text=last) is None
    assert prefill_similarity("同上", last_text="同上") is None  # too short to judge


@given(st.text(alphabet=st.sampled_from("推进完成项目建设工作督查整改,。0123"), min_size=8, max_size=60))
def test_a_text_is_always_judged_the_same_as_itself(text):
    code = prefill_similarity(text, last_text=text)
    assert code in (FIGURES_CHANGED_ONLY, None)
    assert (code is None) == (len(normalise(text)) < 8)
