"""The kinds of event senders name. Words only: notify knows nothing of reports or orders, but the office picks
kinds for its group robots and people read them on the notification page."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Kind(models.TextChoices):
    TASK_ASSIGNED = "task_assigned", _("Task assigned")
    SIGN_OFF = "sign_off", _("Report waiting for sign-off")
    REPORT_ACCEPTED = "report_accepted", _("Report accepted")
    REPORT_RETURNED = "report_returned", _("Report returned")
    REMINDER = "reminder", _("Reminder")
    PROBLEM = "problem", _("Problem raised or reopened")
    PROBLEM_ANSWERED = "problem_answered", _("Problem answered")
    PROBLEM_OVERDUE = "problem_overdue", _("Problem past its answer date")
    REQUEST = "request", _("Dispute or extension asked")
    REQUEST_DECIDED = "request_decided", _("Dispute or extension decided")
    CHASE = "chase", _("Chase notice")
    ORDER = "order", _("Rectification order")
    ORDER_DEADLINE = "order_deadline", _("Rectification deadline")
    ADMONITION = "admonition", _("Admonition talk")
    ACCOUNTABILITY = "accountability", _("Accountability decision")
    MEETING_PACK = "meeting_pack", _("Meeting pack ready")
    BULLETIN = "bulletin", _("Bulletin published")
    RANKING = "ranking", _("Ranking published")
    INSTRUCTION = "instruction", _("Leader's instruction")
    INSTRUCTION_REPLY = "instruction_reply", _("Reply to an instruction")
    INSTRUCTION_OVERDUE = "instruction_overdue", _("Instruction past its reply date")
    COORDINATION = "coordination", _("Coordination request")
    COORDINATION_ANSWERED = "coordination_answered", _("Coordination request answered")
    COORDINATION_OVERDUE = "coordination_overdue", _("Coordination request past its reply date")
    MENTION = "mention", _("Mentioned in a comment")
    PRACTICE = "practice", _("Exemplary practice published")
    YEAR_END = "year_end", _("Year-end review")
    TEST = "test", _("Test message")
    DIGEST = "digest", _("Daily digest")
    OTHER = "other", _("Other")


# What a new group robot posts unless the office chooses otherwise: no reminders (they go to persons) and
# nothing private to one person.
ROBOT_DEFAULT_KINDS = [
    Kind.TASK_ASSIGNED,
    Kind.REPORT_RETURNED,
    Kind.CHASE,
    Kind.ORDER,
    Kind.ORDER_DEADLINE,
    Kind.PROBLEM_ANSWERED,
    Kind.MEETING_PACK,
    Kind.REQUEST_DECIDED,
    Kind.BULLETIN,
    Kind.INSTRUCTION,
    Kind.PRACTICE,
]
ROBOT_KINDS = [k for k in Kind if k not in (Kind.TEST, Kind.DIGEST, Kind.OTHER)]


def robot_default_kinds() -> list[str]:
    return [str(k) for k in ROBOT_DEFAULT_KINDS]
