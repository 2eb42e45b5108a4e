"""Every write to comments: write, edit and delete one's own (the text before stays in the history), and the
@mentions that notify a person — only someone who can see the object (no leak of what it says)."""

from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tongtui.collaboration import mentions, targets
from tongtui.collaboration.models import Comment, TargetKind
from tongtui.collaboration.targets import Target
from tongtui.core.errors import ActionError, Forbidden
from tongtui.core.history import save_with_history
from tongtui.notify.actions import send
from tongtui.notify.kinds import Kind
from tongtui.orgs.models import Person

COMMENTABLE = (TargetKind.TASK, TargetKind.REPORT, TargetKind.PROBLEM)


def people_mentioned(text: str) -> list[Person]:
    """The people with a login the text mentions (one query); two people of the same name are both meant."""
    names = mentions.candidates(text)
    if not names:
        return []
    found = list(Person.objects.filter(name__in=names, user__isnull=False, user__is_active=True)
                 .select_related("user"))  # fmt: skip
    chosen = mentions.mentioned(text, {p.name for p in found})
    return [p for name in chosen for p in found if p.name == name]


def _mention(comment: Comment, target: Target, by: Any) -> None:
    """Notify each person mentioned who can see the target, once per comment; the others are not told and
    not recorded, so that nothing of the object reaches them."""
    seen = [p for p in people_mentioned(comment.text) if p.user != by and targets.sees(p.user, target)]
    before = set(comment.mentions.values_list("pk", flat=True))
    comment.mentions.add(*seen)
    author = getattr(getattr(by, "person", None), "name", "") or by.get_username()
    for person in seen:
        if person.pk in before:
            continue
        send(
            Kind.MENTION,
            [person.user],
            _("%(who)s mentioned you on %(what)s") % {"who": author, "what": target.label},
            body=comment.text,
            url=f"{target.url}#comment-{comment.pk}",
            key=f"mention:{comment.pk}:{person.pk}",
            email=True,
        )


@transaction.atomic
def write(target: Target, *, by: Any, text: str) -> Comment:
    if target.kind not in COMMENTABLE:
        raise ActionError(_("Comments are for tasks, reports and problems."))
    if not targets.sees(by, target, active_only=False):
        raise Forbidden(_("You cannot see this."))
    comment = Comment(**target.fields, text=text.strip(), author=by)
    save_with_history(comment, by=by, reason=_("written"))
    _mention(comment, target, by)
    return comment


def _own(comment: Comment, by: Any) -> None:
    if comment.author_id != by.pk:
        raise Forbidden(_("Only its author edits or deletes a comment."))
    if comment.deleted_at is not None:
        raise ActionError(_("This comment was deleted."))


@transaction.atomic
def edit(comment: Comment, *, by: Any, text: str) -> Comment:
    """The author's correction; the text before stays in the history. Someone newly mentioned is told."""
    _own(comment, by)
    text = text.strip()
    if text == comment.text:
        return comment
    comment.text = text
    comment.edited_at = timezone.now()
    save_with_history(comment, by=by, reason=_("edited"))
    _mention(comment, targets.of_row(comment), by)
    return comment


@transaction.atomic
def delete(comment: Comment, *, by: Any) -> Comment:
    """The author removes the comment from the page; the history keeps what it said."""
    _own(comment, by)
    comment.text = ""
    comment.deleted_at = timezone.now()
    save_with_history(comment, by=by, reason=_("deleted"))
    return comment
