"""The demo's practices and public page, through the publicity actions: about eight tasks (民生保障 first) on
the public page with the office's texts, and six practices — four published (with their bonuses), one
submitted, one returned — each with a photo drawn here (a small PNG, no imaging library needed)."""

import datetime
import struct
import zlib
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile

from tongtui.core.workdays import calendar
from tongtui.demo.clock import at
from tongtui.demo.district import Org
from tongtui.demo.reports import Filers
from tongtui.plans.models import Plan, Task, TaskStatus
from tongtui.publicity import actions_practices, actions_public

PUBLIC_TEXT = (
    "“{title}”是{year}年区政府向社会承诺办理的民生实事之一。我们将按照时间节点倒排工期、挂图作战，"
    "每月向社会公开进展，确保按期完成、群众满意。"
)

# (unit short name, kind, title, summary, body, end state)
PRACTICES = [
    ("区发改局", "practice", "“周调度、月通报”推动重点项目提速",
     "建立重点项目周调度、月通报机制，问题清单当周交办、限时销号，项目平均审批时间缩短三分之一。",
     "针对重点项目推进中堵点多、协调慢的问题，区发改局牵头建立“周调度、月通报”工作机制。\n"
     "每周一召开项目调度会，逐项过堵点、定措施、明责任；每月形成通报，对滞后项目点名督促。\n"
     "机制运行以来，重点项目开工率、投资完成率均居全市前列。", "published"),
    ("城关街道", "practice", "“网格吹哨、部门报到”破解基层治理难题",
     "以网格为单元发现问题，街道吹哨、部门报到，群众诉求平均办结时间由7天缩短至3天。",
     "城关街道将辖区划分为若干网格，网格员每日巡查、即时上报。\n"
     "对网格内难以解决的问题，由街道“吹哨”，相关职能部门限时“报到”、现场解决。\n"
     "全年累计解决群众急难愁盼问题千余件，群众满意度明显提升。", "published"),
    ("区营商局", "innovation", "“一件事一次办”集成服务改革",
     "将企业开办、不动产登记等高频事项集成为“一件事”，一次告知、一表申请、一窗受理、一次办结。",
     "聚焦企业和群众办事“多头跑、反复跑”问题，梳理高频事项清单，推行“一件事一次办”。\n"
     "线上依托政务服务平台一网通办，线下设立综合窗口，实现“一窗受理、集成服务”。\n"
     "改革后相关事项申请材料平均减少四成，办理时限压缩一半以上。", "published"),
    ("东湖镇", "innovation", "“田长制”守护耕地红线",
     "建立镇、村、组三级田长体系，耕地保护责任落实到人、到块，违法占地问题动态清零。",
     "东湖镇在全镇推行“田长制”，镇级田长统筹、村级田长包片、组级田长巡田。\n"
     "运用卫星图斑比对与日常巡查相结合，发现问题及时制止、限期整改。\n"
     "实施以来，新增违法占用耕地问题动态清零，粮食播种面积保持稳定。", "published"),
    ("区住建局", "practice", "老旧小区改造“居民议事会”",
     "改造前问需于民、改造中问计于民、改造后问效于民，改造方案居民满意率达95%以上。",
     "在老旧小区改造中成立居民议事会，改造内容由居民投票确定。\n"
     "施工期间议事会参与监督，竣工后组织居民评议验收。", "submitted"),
    ("区卫健局", "practice", "家庭医生签约“组团式”服务",
     "组建“全科医生+专科医生+护士”团队，为重点人群提供上门签约服务。",
     "组建家庭医生团队，为老年人、慢性病患者等重点人群提供签约服务。", "returned"),
]


def photo_png(seed: int, width: int = 480, height: int = 320) -> bytes:
    """A small picture in code: a sky-to-field gradient with a sun and rows of houses, coloured by `seed`."""
    hue = [(196, 60, 40), (40, 110, 190), (30, 140, 90), (170, 120, 30)][seed % 4]
    rows = []
    sun_x, sun_y, r2 = width * (0.25 + 0.1 * (seed % 5)), height * 0.28, (height * 0.09) ** 2
    for y in range(height):
        line = bytearray([0])
        for x in range(width):
            if y < height * 0.6:  # sky
                t = y / (height * 0.6)
                px = (int(225 - 60 * t), int(235 - 40 * t), 250)
                if (x - sun_x) ** 2 + (y - sun_y) ** 2 < r2:
                    px = (250, 200, 60)
            else:  # field
                t = (y - height * 0.6) / (height * 0.4)
                px = (int(hue[0] * (0.6 + 0.4 * t)), int(hue[1] * (0.6 + 0.4 * t)), int(hue[2] * (0.6 + 0.4 * t)))
            house = (x // 60) % 2 == 0 and height * 0.45 < y < height * 0.6 and 10 < x % 60 < 50
            if house:
                px = (240, 240, 235) if y > height * 0.5 else (178, 34, 34)
            line += bytes(px)
        rows.append(bytes(line))

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(b"".join(rows), 6))
            + chunk(b"IEND", b""))  # fmt: skip


def public_tasks(plan: Plan, *, office: Any, today: datetime.date, n: int = 8) -> int:
    """Mark about eight tasks public with the office's texts: the 民生实事 people feel — 民生保障 first, then the
    task book's public tasks on roads, farmland and the environment; economic indicators (GDP, investment) are
    reported elsewhere and stay off this page."""
    shown = Task.objects.filter(plan=plan, parent=None).exclude(status__in=[TaskStatus.DRAFT, TaskStatus.CANCELLED])
    welfare = list(shown.filter(category__name="民生保障").order_by("code_sort", "pk")[: n - 3])
    others = shown.filter(is_public=True).exclude(category__name__in=["民生保障", "产业转型升级", "营商环境"])
    picks = welfare + list(others.order_by("code_sort", "pk")[: n - len(welfare)])
    with at(min(today, datetime.date(plan.year, 3, 2))):
        for task in picks:
            title = task.title.split("，")[0].split("。")[0][:60]
            actions_public.save_entry(task, by=office, title=title, text=PUBLIC_TEXT.format(title=title, year=plan.year),
                                      public=True)  # fmt: skip
    return len(picks)


def practices(plan: Plan, org: Org, people: Filers, *, today: datetime.date) -> int:
    cal = calendar()
    office = people.office
    made = 0
    for n, (short, kind, title, summary, body, end) in enumerate(PRACTICES):
        unit = org.units.get(short)
        if unit is None or unit.pk not in people.liaison:
            continue
        liaison = people.liaison[unit.pk]
        tasks = list(Task.objects.filter(plan=plan, lead_unit=unit, parent=None).order_by("code_sort", "pk")[:2])
        written = cal.add_workdays(today, -(40 - 6 * n))
        with at(written, 10):
            p = actions_practices.create_practice(by=liaison, unit=unit, plan=plan, kind=kind, title=title,
                                                  summary=summary, body=body, tasks=tasks)  # fmt: skip
            png = photo_png(n)
            actions_practices.add_photo(p, by=liaison, file=SimpleUploadedFile(f"现场照片{n + 1}.png", png))
            actions_practices.submit(p, by=liaison)
        if end == "submitted":
            made += 1
            continue
        with at(cal.add_workdays(written, 2), 15):
            if end == "returned":
                actions_practices.return_practice(p, by=office, reason="请补充服务覆盖人数、群众满意度等成效数据后再报送。")
            else:
                actions_practices.select(p, by=office)
        if end == "published":
            with at(cal.add_workdays(written, 3), 10):
                actions_practices.publish(p, by=office)
        made += 1
    return made
