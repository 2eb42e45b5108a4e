"""Who may do what: pure decisions over a user's roles and the row's units."""

from tongtui.collaboration.models import CoordinationRequest, Instruction, InstructionKind, InstructionStatus
from tongtui.orgs.models import Role
from tongtui.orgs.roles import Roles

UNIT_ACTORS = (Role.UNIT_HEAD, Role.LIAISON)


def may_instruct(roles: Roles) -> bool:
    """批示 and 圈阅 are the leaders' own."""
    return roles.is_leader and roles.person_id is not None


def replying_units(roles: Roles, unit_ids: set[int]) -> set[int]:
    """The units concerned on whose behalf this user may reply: their liaison or head."""
    return roles.units_with(*UNIT_ACTORS) & unit_ids


def is_author(roles: Roles, instruction: Instruction) -> bool:
    return roles.person_id is not None and roles.person_id == instruction.leader_id


def may_reply(roles: Roles, instruction: Instruction, unit_ids: set[int]) -> bool:
    """A unit concerned, the leader who wrote it (answering back) or the office, while it is not closed."""
    if instruction.kind == InstructionKind.READ or instruction.status == InstructionStatus.CLOSED:
        return False
    return bool(replying_units(roles, unit_ids)) or is_author(roles, instruction) or roles.is_office


def may_close(roles: Roles, instruction: Instruction) -> bool:
    """Once satisfied: the leader who wrote it, or the office."""
    if instruction.kind == InstructionKind.READ or instruction.status == InstructionStatus.CLOSED:
        return False
    return is_author(roles, instruction) or roles.is_office


def may_make_work(roles: Roles, instruction: Instruction) -> bool:
    """Turning an instruction into a task or a milestone is the office's (plans.actions checks it again)."""
    return roles.is_office and instruction.kind == InstructionKind.INSTRUCTION


def may_answer_request(roles: Roles, req: CoordinationRequest) -> bool:
    """Accept, answer, decline: the unit asked (its liaison or head) or the leader asked."""
    if req.to_unit_id is not None:
        return roles.has(req.to_unit_id, *UNIT_ACTORS)
    return roles.person_id is not None and roles.person_id == req.to_leader_id


def may_withdraw_request(roles: Roles, req: CoordinationRequest) -> bool:
    return roles.has(req.from_unit_id, *UNIT_ACTORS)
