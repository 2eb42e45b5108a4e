"""Report texts of a simulated district year: a few district templates filled almost word for word with the
task's own vocabulary, and the retouching a copier does. Used by `district_sim.py`; pure, seeded by the caller.

Honest reports of one task share its template, its project name, its goal and its pool of activities, and
differ in the activities, problems and places named that month. Risk cues (滞后, 尚未, 受…影响, 协调难度大)
appear when work is really held up and the unit says so; harmless look-alikes ("未受降雨影响", "尚未发现
质量问题") appear in reports of work going well.
"""

import random
import re
from dataclasses import dataclass

PLACES = "城关 河西 东湖 南岭 北塘 新港 青山 石桥 龙泉 枫林 桃源 白沙 金湾 柳营 云台 双河 凤鸣 高新 滨江 铁山".split()
NAME_CHARS = "安宝北昌晨成大德东丰福港光广贵国海和河宏华惠吉佳建江金锦景九康乐丽利良林龙隆茂美民明南宁平启前庆泉仁荣瑞山善尚盛石书顺松泰天通万旺文西溪祥新兴秀旭阳业义益英永友裕元园远月云泽长振正中洲竹紫"

DOMAINS: dict[str, dict[str, list[str]]] = {
    "build": {
        "things": "雨污分流改造工程 污水管网延伸工程 安置小区建设项目 农贸市场改造项目 主干道提升工程 中学扩建工程 "
        "养老服务中心建设项目 立体停车场建设项目 标准厂房建设项目 供水管网改造工程 文旅街区改造项目 卫生院迁建工程".split(),
        "acts": "管网铺设 土方开挖 基础施工 主体结构浇筑 钢结构吊装 路面摊铺 雨污管道接驳 设备安装调试 外立面改造 "
        "绿化景观施工 弱电管线预埋 屋面防水施工 消防设施安装 竣工资料整理 配套道路施工 围挡搭设 桩基检测 二次结构砌筑".split(),
        "goals": "主体工程按期完工 年底前全面竣工 节点目标按时完成 工程质量和安全生产 按期交付使用".split(),
    },
    "prep": {
        "things": "城市更新片区前期工作 产业园区基础设施项目 综合交通枢纽前期工作 老旧小区改造前期工作 "
        "乡村振兴示范片区项目 滨江公园建设前期工作".split(),
        "acts": "可研报告编制 初步设计评审 施工图审查 用地预审 环评公示 招标文件编制 施工招标 征迁入户调查 "
        "房屋评估 征收协议签订 青苗补偿 地上附着物清点 规划方案论证 专项债券申报 立项批复办理 社会稳定风险评估".split(),
        "goals": "按期开工建设 前期手续全部办结 征迁任务按期完成 项目尽早落地".split(),
    },
    "invest": {
        "things": "新能源产业链招商 电子信息产业招商 食品加工产业园招商 现代物流产业招商 文旅康养项目招引".split(),
        "acts": "客商对接洽谈 重点项目签约 规上企业走访 外出招商 产业链图谱梳理 招商推介会筹备 标准厂房交付 "
        "签约企业入驻 投产达效调度 项目落地服务 要素保障协调 闲置低效用地清理 招商线索研判 履约监管".split(),
        "goals": "全年招商目标任务完成 签约项目尽快落地 投产项目达产达效".split(),
    },
    "people": {
        "things": "居家养老服务提升 城乡学位扩容 社区嵌入式服务设施建设 困难群众帮扶 就业创业促进 基层医疗能力提升".split(),
        "acts": "入户走访 政策宣传 困难群众摸排 适老化改造 助餐点建设 社区服务站改造 健康体检 技能培训 就业岗位推送 "
        "学位需求摸底 校舍维修改造 卫生院设备配置 家庭医生签约 志愿服务活动".split(),
        "goals": "惠民实事全面兑现 群众满意度持续提升 年度目标任务全面完成".split(),
    },
    "green": {
        "things": "黑臭水体治理 河湖生态修复 农村人居环境整治 大气污染防治 废弃矿山生态修复 城乡垃圾分类".split(),
        "acts": "河道清淤 护岸整治 排污口排查 垃圾分类督导 农村厕所改造 植树造林 扬尘管控巡查 秸秆禁烧巡查 "
        "截污纳管 污水处理设施运维 矿山边坡治理 湿地保护巡护 村庄清洁行动 水质监测".split(),
        "goals": "水质稳定达标 生态环境持续改善 考核断面稳定达标".split(),
    },
}
PROBLEMS = "施工场地移交 管线迁改 资金拨付 用工短缺 材料供应 群众诉求 手续办理 交通组织 设计变更 土地指标 电力接入 工序衔接".split()
CAUSES = "连续降雨 征地拆迁 资金未及时到位 审批手续办理 管线迁改 原材料价格上涨 群众阻工 设计变更".split()
PENDING = [
    ("施工许可证", "取得"), ("用地手续", "办结"), ("专项资金", "拨付到位"), ("设计变更", "批复"),
    ("征收协议", "全部签订"), ("电力接入方案", "确定"), ("环评批复", "取得"),
]  # fmt: skip
HARMLESS = [
    "本月未发生安全生产事故。",
    "已提前做好防汛准备,施工未受降雨影响。",
    "经自查,尚未发现质量安全问题。",
    "目前无进度滞后情况。",
]
CATCH_UP = [
    "倒排工期、挂图作战,增加施工班组{n}个,实行两班倒作业。",
    "针对前期进度偏慢的情况,增派人员{n}名,加快追赶节点。",
]
STOCK_CLOSINGS = [
    "下一步将继续加强统筹协调,确保按期完成。",
    "我单位将压实责任,强化调度,确保各项工作按时序推进。",
    "深入贯彻落实区委区政府决策部署,以更大力度推动工作落实。",
    "将持续加大督促检查力度,确保各项任务落地见效。",
]
TEMPLATES = [
    "本月开展{a1}及{a2},累计完成工程量约{p}%,较上月提高{d}个百分点。{detail}召开推进会{n}次,解决{q}等问题{m}项。{risk}"
    "下一步将重点抓好{b1}和{b2},确保{goal}。",
    "{proj}本月完成{a1}、{a2},{a3}正在推进,形象进度达{p}%。{detail}{risk}下步计划:{b1},{b2},确保{goal}。",
    "一是{a1},{detail}二是{a2},完成{x}项。截至月底,{proj}累计完成投资{y}万元,完成年度计划的{p}%。{risk}"
    "下一步:加快{b1},做好{b2}。",
    "围绕{proj},本月重点推进{a1}和{a2}工作,{detail}召开专题调度会{n}次,协调解决{q}等问题{m}个,项目整体进度{p}%。{risk}"
    "下一步将持续推进{b1},确保{goal}。",
]
PARTS = "一期 二期 三期 东片区 西片区 南段 北段 主线 支线 A区 B区 核心区 配套区 首批 续建".split()
WHERE = ["{p}村", "{p}路段", "{p}社区", "{p}片区", "{p}组团"]
SHORT = ["按计划推进中,无问题。", "工作正常推进。", "按计划推进中。"]
VERB_SWAPS = [("开展", "推进"), ("召开", "组织召开"), ("完成", "落实"), ("解决", "协调解决"), ("加快", "加速"),
              ("推进", "开展"), ("重点", "全力")]  # fmt: skip


@dataclass(frozen=True)
class Vocabulary:
    """A task's own words: its project name, its pool of activities and its goal."""

    project: str
    acts: tuple[str, ...]
    goal: str
    domain: str


def place_name(rng: random.Random) -> str:
    return rng.choice(NAME_CHARS) + rng.choice(NAME_CHARS)


def vocabulary(rng: random.Random) -> Vocabulary:
    domain = rng.choice(list(DOMAINS))
    pool = DOMAINS[domain]
    acts = list(pool["acts"])
    if domain == "build":
        acts += rng.sample(DOMAINS["prep"]["acts"], 4)
    project = rng.choice(PLACES) + rng.choice(pool["things"])
    own = [rng.choice(PARTS) + a if rng.random() < 0.5 else a for a in rng.sample(acts, 12)]  # 二期管网铺设
    return Vocabulary(project, tuple(own), rng.choice(pool["goals"]), domain)


def _detail(rng: random.Random) -> str:
    forms = [
        "{p}村{q}组完成{n}户,",
        "{p}路段完成{n}米,",
        "{p}社区完成{n}处,",
        "在{p}片区完成{n}个点位,",
    ]
    return rng.choice(forms).format(p=place_name(rng), q=place_name(rng), n=rng.randint(3, 900))


def risk_sentence(rng: random.Random, vocab: Vocabulary, kind: str) -> str:
    """What a unit writes when work is held up: "pending" (a blocker is coming: a permit not yet issued, a hard
    negotiation), "stalled" (the work is stopped by it) or "behind" (slower than planned)."""
    act = rng.choice(vocab.acts)
    item, verb = rng.choice(PENDING)
    forms = {
        "pending": [
            f"目前{item}尚未{verb},{act}尚不具备条件。",
            f"{rng.choice(PROBLEMS)}协调难度大,正在积极对接。",
        ],
        "stalled": [
            f"受{rng.choice(CAUSES)}影响,{act}进度滞后。",
            f"{item}尚未{verb},{act}暂停,部分工作推进缓慢。",
        ],
        "behind": [f"{act}进度滞后于计划。", "部分工作推进缓慢。"],
    }
    return rng.choice(forms[kind])


def report_text(
    rng: random.Random,
    vocab: Vocabulary,
    template: int,
    progress: float,
    step: float,
    *,
    risk: str = "",
    catching_up: bool = False,
) -> str:
    """One month's report of a task: its template filled with its words and this month's particulars."""
    a = rng.sample(vocab.acts, 5)
    if rng.random() < 0.3:  # now and then an activity from outside the task's usual pool
        a[0] = rng.choice(DOMAINS[vocab.domain]["acts"])
    for k in range(3):  # where the work was done this month
        if rng.random() < 0.4:
            a[k] = rng.choice(WHERE).format(p=place_name(rng)) + a[k]
    extra = ""
    if risk:
        extra = risk_sentence(rng, vocab, risk)
    elif rng.random() < 0.25:
        extra = rng.choice(HARMLESS)
    if catching_up and rng.random() < 0.7:
        extra += rng.choice(CATCH_UP).format(n=rng.randint(2, 30))
    detail = _detail(rng) if rng.random() < 0.7 else ""
    text = TEMPLATES[template].format(
        a1=a[0], a2=a[1], a3=a[2], b1=a[3], b2=a[4], p=round(progress), d=max(0, round(step)),
        n=rng.randint(1, 6), m=rng.randint(1, 12), q=rng.choice(PROBLEMS), goal=vocab.goal,
        proj=vocab.project, x=rng.randint(2, 40), y=rng.randint(50, 9000), risk=extra, detail=detail,
    )  # fmt: skip
    return text + rng.choice(STOCK_CLOSINGS) if rng.random() < 0.35 else text


def retouch(
    rng: random.Random, text: str, *, own_project: str | None = None, source_project: str = ""
) -> str:
    """What a copier does: changes the figures, swaps a verb, and often adds a closing sentence (and, copying
    another unit, puts the own project's name in)."""
    out = re.sub(
        r"\d+", lambda m: str(rng.randint(1, 9) * 10 ** (len(m.group()) - 1) + rng.randint(0, 9)), text
    )
    if own_project and source_project and rng.random() < 0.7:
        out = out.replace(source_project, own_project)
    swaps = [(a, b) for a, b in VERB_SWAPS if a in out]
    for a, b in rng.sample(swaps, min(len(swaps), rng.choice([1, 1, 2]))):
        out = out.replace(a, b, 1)
    roll = rng.random()
    if roll < 0.35:
        out += rng.choice(STOCK_CLOSINGS)
    elif roll < 0.6:
        out += f"同时做好{place_name(rng)}片区后续工作的衔接。"
    return out
