"""Readable sentences for forecasts, light reasons and integrity flags, in Chinese and English.

Signals carry a code and figures; the sentence is made here, for a language code such as
"zh-hans" or "en". Chinese is the default.
"""

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

# code -> (Chinese, English); placeholders name figures; {unit} is the day unit for {days}.
TEMPLATES: dict[str, tuple[str, str]] = {
    # forecasts
    "forecast_late": (
        "按当前进度,预计比计划晚约{days}{unit}完成",
        "at the current pace this finishes about {days} {unit} late",
    ),
    "forecast_early": (
        "按当前进度,预计比计划提前约{days}{unit}完成",
        "at the current pace this finishes about {days} {unit} early",
    ),
    "forecast_on_time": ("按当前进度,预计按期完成", "at the current pace this finishes on time"),
    "finished_late": ("已完成,比计划晚{days}{unit}", "finished {days} {unit} late"),
    "finished_early": ("已完成,比计划提前{days}{unit}", "finished {days} {unit} early"),
    "finished_on_time": ("已按期完成", "finished on time"),
    "not_started": ("尚未报告进展,暂无法预测完成时间", "no progress reported yet: cannot forecast yet"),
    "too_early": ("刚刚开始,暂无法预测完成时间", "just started: cannot forecast yet"),
    "no_pace": ("暂无法预测完成时间", "cannot forecast yet"),
    "no_plan": ("没有计划节点和完成时限,无法预测", "no milestones and no due date: cannot forecast"),
    # light reasons
    "closed": ("已办结销号", "closed"),
    "cancelled": ("已撤销", "cancelled"),
    "suspended": ("已暂停", "suspended"),
    "not_assigned": ("尚未交办", "not yet assigned"),
    "not_started_yet": ("尚未开始(计划{start}开始)", "not started yet (planned start {start})"),
    "milestone_overdue": (
        "{count}个节点逾期未完成,其中“{label}”({due}到期)已逾期{days}{unit}",
        "{count} milestone(s) overdue and not done; “{label}” (due {due}) by {days} {unit}",
    ),
    "milestone_overdue_grace": (
        "节点“{label}”({due}到期)未完成,尚在宽限期内",
        "milestone “{label}” (due {due}) is not done, within the grace period",
    ),
    "task_overdue": (
        "已超过完成时限{days}{unit},单位报送进度{progress}%",
        "past its due date by {days} {unit}; the unit reports {progress}%",
    ),
    "task_overdue_grace": (
        "已到完成时限,尚未完成,单位报送进度{progress}%",
        "due date passed, not finished yet; the unit reports {progress}%",
    ),
    "behind_plan": (
        "低于序时进度{behind}个百分点(序时{planned}%,单位报送{progress}%)",
        "{behind} points behind plan (planned {planned}% by now, the unit reports {progress}%)",
    ),
    "behind_plan_ratio": (
        "低于序时进度的{ratio}%(序时{planned}%,单位报送{progress}%)",
        "{ratio}% short of the planned progress (planned {planned}% by now, the unit reports {progress}%)",
    ),
    "forecast_slip": (
        "按当前进度,预计比计划晚约{days}{unit}完成",
        "at the current pace this finishes about {days} {unit} late",
    ),
    "missed_reports": ("连续{count}个周期未报送进展", "no report for {count} cycle(s) in a row"),
    "milestone_due_soon": (
        "节点“{label}”将于{due}到期,单位报送进度{progress}%低于节点计划{planned}%",
        "milestone “{label}” is due on {due}; the unit reports {progress}%, below its planned {planned}%",
    ),
    "milestone_at_risk": (
        "节点“{label}”({due}到期)可能逾期:按近期进度,到期时约{expected}%,需达到{needed}%,预计晚约{days}{unit}",
        "milestone “{label}” (due {due}) is likely to slip: at the recent pace it would be at about {expected}% "
        "on its due date where {needed}% is needed, about {days} {unit} late",
    ),
    "milestone_at_risk_far": (
        "节点“{label}”({due}到期)可能逾期:按近期进度,到期时约{expected}%,需达到{needed}%,预计晚{days}{unit}以上",
        "milestone “{label}” (due {due}) is likely to slip: at the recent pace it would be at about {expected}% "
        "on its due date where {needed}% is needed, more than {days} {unit} late",
    ),
    "report_risk_words": ("{period}的报告提到:{words}", "the report for {period} says: {words}"),
    "claims_not_held": (
        "该单位此前报已达到的{claims}个节点中,{count}个核实时尚未完成,平均晚{days}{unit}",
        "{count} of the {claims} milestones the unit reported as reached were not done when verified, "
        "on average {days} {unit} later",
    ),
    "claimed_not_verified": (
        "节点“{label}”({due}到期)已报达到,但至今未核实完成",
        "milestone “{label}” (due {due}) was reported as reached but is still not verified as done",
    ),
    "escalation_unanswered": (
        "{count}个上报问题未答复,最久已{days}{unit}",
        "{count} escalated problem(s) unanswered, the oldest for {days} {unit}",
    ),
    "progress_went_backwards": (
        "最近一次报告进度由{previous}%降至{progress}%",
        "the latest report lowers progress from {previous}% to {progress}%",
    ),
    "no_plan_to_compare": ("没有计划节点或完成时限可供对照", "no milestones or due date to compare against"),
    "on_track": (
        "按序时推进(序时{planned}%,单位报送{progress}%)",
        "on track (planned {planned}% by now, the unit reports {progress}%)",
    ),
    "ahead": (
        "超序时进度{ahead}个百分点(序时{planned}%,单位报送{progress}%)",
        "{ahead} points ahead of plan (planned {planned}% by now, the unit reports {progress}%)",
    ),
    # integrity flags
    "text_repeats_own": (
        "报告中本期特有的内容与本单位{other_period}的报告雷同({similarity}%重合),如{passage}",
        "what is particular to this report repeats the unit's report for {other_period} "
        "({similarity}% of it), e.g. {passage}",
    ),
    "text_matches_other_unit": (
        "报告中本期特有的内容与另一单位{other_period}的报告雷同({similarity}%重合),如{passage}",
        "what is particular to this report repeats another unit's report for {other_period} "
        "({similarity}% of it), e.g. {passage}",
    ),
    "progress_jump": (
        "进度一次提高{jump}个百分点(由{previous}%到{progress}%),远超以往每期约{pace}个百分点的节奏",
        "progress jumped {jump} points ({previous}% to {progress}%), far above its usual pace of about {pace} points",
    ),
    "deadline_jump": (
        "临近或超过完成时限时进度由{previous}%直接升至100%",
        "progress went straight from {previous}% to 100% at the deadline",
    ),
    "completion_without_evidence": (
        "报告已完成但未附佐证材料({what})",
        "completion claimed without the required evidence ({what})",
    ),
    "stuck_near_done": (
        "进度连续{count}期停留在{low}%~{high}%之间(自{since}起)",
        "progress stuck between {low}% and {high}% for {count} reports in a row (since {since})",
    ),
    "edited_after_submission": (
        "报告提交后又被修改(提交于{submitted},修改于{edited})",
        "the report was changed after submission (submitted {submitted}, changed {edited})",
    ),
    "backdated": (
        "报告在所报期间结束{days}天后才提交(期间截至{period},提交于{submitted})",
        "the report was filed {days} days after the period it describes (period ending {period}, filed {submitted})",
    ),
    "indicator_out_of_bounds": (
        "指标“{name}”的数值{value}超出合理范围({why})",
        "indicator “{name}” value {value} is outside plausible bounds ({why})",
    ),
    "indicator_decreased": (
        "指标“{name}”的累计值由{previous}降至{value}",
        "indicator “{name}” fell from {previous} to {value} although it accumulates",
    ),
    "indicator_inconsistent": (
        "指标“{name}”仅完成目标的{achieved}%,而报告进度为{progress}%",
        "indicator “{name}” is at {achieved}% of its target while reported progress is {progress}%",
    ),
    "same_as_prefill": (
        "本期“工作进展”与{other_period}报告的“下步计划”(表单预填的内容)基本相同({similarity}%重合),如{passage}",
        "what was done this period is, nearly word for word, the next steps of the report for {other_period} "
        "that the form pre-filled ({similarity}% the same), e.g. {passage}",
    ),
    "figures_changed_only": (
        "本期“工作进展”与{other_period}报告的“工作进展”基本相同,只改动了数字({changes}),如{passage}",
        "what was done this period is the report for {other_period} with only the figures changed ({changes}), "
        "e.g. {passage}",
    ),
    "evidence_reused": (
        "佐证材料与{where}已用过的文件相同({count}个文件)",
        "evidence files already used {where} ({count} file(s))",
    ),
}

# Words used inside other sentences.
WORDS: dict[str, tuple[str, str]] = {
    "why_negative": ("为负数", "negative"),
    "why_above_target": ("超过目标值的{factor}倍", "more than {factor} times the target"),
    "why_above_baseline": ("超过基数的{factor}倍", "more than {factor} times the baseline"),
    "where_other_unit": ("其他单位的报告中", "in another unit's report"),
    "where_own": ("本单位此前的报告中", "in the unit's earlier report"),
    "what_report": ("{period}报告进度100%", "report for {period} at 100%"),
    "figures_unchanged": ("数字也未改动", "not even the figures"),
    "what_milestone": ("节点“{label}”", "milestone “{label}”"),
}


@dataclass(frozen=True, slots=True)
class Phrase:
    """A figure that is itself words (from WORDS), rendered in the language of the sentence around it."""

    code: str
    figures: dict[str, Any] = field(default_factory=dict)


def is_chinese(lang: str) -> bool:
    return lang.lower().replace("_", "-").startswith("zh")


def number(x: Any, lang: str = "zh-hans") -> str:
    """A figure for reading: floats to one decimal without a trailing .0, dates in ISO form."""
    if isinstance(x, Phrase):
        return render(x.code, lang, x.figures, table="words")
    if isinstance(x, float):
        r = round(x, 1)
        return str(int(r)) if r == int(r) else f"{r:.1f}"
    if isinstance(x, datetime):
        return x.strftime("%Y-%m-%d %H:%M")
    if isinstance(x, date):
        return x.isoformat()
    return str(x)


def day_unit(lang: str, working: bool, n: int | None) -> str:
    if is_chinese(lang):
        return "个工作日" if working else "天"
    word = "working day" if working else "day"
    return word if n == 1 else word + "s"


def render(
    code: str, lang: str = "zh-hans", figures: Mapping[str, Any] | None = None, table: str = ""
) -> str:
    """The sentence for `code` with its figures filled in; unknown codes come back as the code."""
    pair = (WORDS if table == "words" else TEMPLATES).get(code)
    if pair is None:
        return code
    template = pair[0] if is_chinese(lang) else pair[1]
    figures = dict(figures or {})
    days = figures.get("days")
    values = {k: number(v, lang) for k, v in figures.items()}
    values["unit"] = day_unit(lang, bool(figures.get("working")), days if isinstance(days, int) else None)
    try:
        return template.format(**values)
    except KeyError:
        return template


def phrase(code: str, **figures: Any) -> Phrase:
    return Phrase(code, figures)
