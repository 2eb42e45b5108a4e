"""Column headers of task books: synonyms -> fields, and finding the header row under a title row."""

import re
from dataclasses import dataclass, field

from tongtui.plans.importing.normalize import key

# field -> the headers that mean it, as offices write them (after normalize.key).
SYNONYMS: dict[str, tuple[str, ...]] = {
    "code": ("序号", "编号", "任务编号", "序", "编码", "项目编号", "工作编号"),
    "title": (
        "重点任务",
        "任务内容",
        "工作任务",
        "主要任务",
        "目标任务",
        "项目名称",
        "任务名称",
        "重点工作",
        "工作内容",
        "任务",
        "民生实事",
        "实事项目",
        "重点项目",
        "项目",
        "工作事项",
        "具体任务",
        "重点工作任务",
        "重点事项",
        "目标任务内容",
        "工作要点",
        "事项",
        "主要指标",
        "指标名称",
    ),
    "content": ("主要内容", "项目内容", "建设内容", "具体内容", "建设规模及内容"),
    "category": ("板块", "类别", "领域", "分类", "所属板块"),
    "goal": ("工作目标", "目标", "年度目标", "全年目标任务", "目标要求", "年度目标任务", "预期目标"),
    "measures": ("主要举措", "工作措施", "具体措施", "推进措施", "工作举措", "主要措施"),
    "deliverables": ("成果形式", "完成标志", "预期成果", "工作成果", "成果"),
    "lead": ("牵头单位", "主要责任单位", "牵头部门", "牵头责任单位", "主责单位", "牵头负责单位"),
    "co": ("配合单位", "协办单位", "协同单位", "配合部门", "参与单位", "协助单位", "协办部门"),
    "duty": ("责任单位", "责任主体与协同单位", "责任部门", "承办单位", "部门分工", "责任主体", "实施单位"),
    "leader": (
        "责任领导",
        "牵头领导",
        "分管领导",
        "区政府分管领导",
        "市政府分管领导",
        "县政府分管领导",
        "分管区领导",
        "分管市领导",
        "分管省领导",
        "分管县领导",
        "联系领导",
        "包抓领导",
        "分管副区长",
        "牵头区领导",
        "责任区领导",
    ),
    "owner": ("责任人", "具体责任人", "联系人", "经办人"),
    "deadline": (
        "完成时限",
        "时间要求",
        "完成时间",
        "时限",
        "完成期限",
        "办结时限",
        "时限要求",
        "完成时限要求",
    ),
    "schedule": (
        "时间节点",
        "进度安排",
        "节点安排",
        "序时进度",
        "计划进度",
        "时间进度安排",
        "节点目标",
        "推进计划",
    ),
    "start": ("开始时间", "启动时间", "开工时间", "起始时间"),
    "weight": ("权重", "分值"),
    "source": ("任务来源", "来源"),
    "parent": ("上级任务编号", "上级编号", "父任务编号", "上级任务"),
    "is_public": ("公开", "是否公开"),
    "note": ("备注",),
    # known columns that an import deliberately does not read (progress belongs to reports)
    "ignored": (
        "最新进展",
        "进度(%)",
        "进度",
        "进展日期",
        "状态",
        "当前进度",
        "推进情况",
        "完成情况",
        "进展情况",
        "是否达序",
        "是否达序时进度",
        "目标类型",  # 上城: A类 责任目标, B类 激励目标, C类 争先创优目标
        "指标类型",
        "亮灯",
        "亮灯原因",
        "存在问题",
        "下步计划",
    ),
}
_EXACT = {key(name): f for f, names in SYNONYMS.items() for name in names}
_FUZZY: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"上级.*编号"), "parent"),
    (re.compile(r"编号|序号"), "code"),
    (re.compile(r"推进情况|完成情况|进展|进度\(|当前进度|达序"), "ignored"),
    (re.compile(r"牵头单位|牵头部门"), "lead"),
    (re.compile(r"配合|协办|协同单位"), "co"),
    (re.compile(r"责任单位|责任部门|责任主体"), "duty"),
    (re.compile(r"领导"), "leader"),
    (re.compile(r"责任人"), "owner"),
    (re.compile(r"时限|完成时间|截止"), "deadline"),
    (re.compile(r"节点|进度安排|推进计划"), "schedule"),
    (re.compile(r"任务|工作|实事|项目|事项|指标|目标|内容"), "title"),
)
TEXT_FIELDS = ("title", "content", "goal")


@dataclass
class Columns:
    """Which column holds which field, the headers that were not understood, and each field's header as the
    file writes it (to name a cell in a message)."""

    fields: dict[int, str]
    ignored: list[str]
    names: dict[str, str] = field(default_factory=dict)

    def has(self, name: str) -> bool:
        return name in self.fields.values()

    def header(self, name: str) -> str:
        return self.names.get(name) or (SYNONYMS[name][0] if name in SYNONYMS else name)


def field_of(header: str) -> str | None:
    k = key(header).strip("*:：")
    k = re.sub(r"\((?:必填|选填|可选|如有)\)$", "", k)
    if not k:
        return None
    if k in _EXACT:
        return _EXACT[k]
    for pattern, name in _FUZZY:
        if pattern.search(k):
            return name
    return None


def map_columns(cells: list[str]) -> Columns:
    fields: dict[int, str] = {}
    ignored: list[tuple[int, str]] = []
    taken: set[str] = set()
    exact_first = sorted(range(len(cells)), key=lambda i: (key(cells[i]) not in _EXACT, i))
    for i in exact_first:
        name = field_of(cells[i])
        if name is None or name == "ignored":
            if cells[i].strip():
                ignored.append((i, cells[i].strip()))
            continue
        if name == "title" and "title" in taken:
            name = "content" if "content" not in taken else "goal"
        if name in taken and name not in ("co", "duty"):
            ignored.append((i, cells[i].strip()))
            continue
        if i > 0 and key(cells[i]) == key(cells[i - 1]) and fields.get(i - 1) == name:
            continue  # the same header merged over two columns
        fields[i] = name
        taken.add(name)
    if "title" not in taken:
        for promote in ("content", "goal"):
            col = next((i for i, f in fields.items() if f == promote), None)
            if col is not None:
                fields[col] = "title"
                break
    names: dict[str, str] = {}
    for i, name in sorted(fields.items()):
        names.setdefault(name, " ".join(cells[i].split()))
    return Columns(fields, [h for _i, h in sorted(ignored)], names)


def score(cells: list[str]) -> int:
    """How header-like a row is: the number of cells that name a known field."""
    seen = set()
    for c in cells:
        f = field_of(c) if c and len(c) <= 30 else None
        if f:
            seen.add(f)
    return len(seen)


def find_header(rows: list[list[str]], look: int = 15) -> int | None:
    """The index of the header row among the first rows: at least two known fields, one of them the task."""
    for i, cells in enumerate(rows[:look]):
        if score(cells) >= 2:
            cols = map_columns(cells)
            if cols.has("title") and (
                cols.has("lead")
                or cols.has("duty")
                or cols.has("code")
                or cols.has("co")
                or cols.has("leader")
                or cols.has("deadline")
            ):
                return i
    return None


def merge_subheader(header: list[str], below: list[str]) -> list[str] | None:
    """A two-row header (责任单位 merged over 牵头单位 | 配合单位): the combined header, or None."""
    if score(below) < 1:
        return None
    combined = list(header)
    used = False
    for i, cell in enumerate(below):
        if not cell or i >= len(header):
            continue
        spans = (i > 0 and header[i] == header[i - 1]) or (i + 1 < len(header) and header[i] == header[i + 1])
        if spans and field_of(cell):
            combined[i] = cell
            used = True
    return combined if used else None
