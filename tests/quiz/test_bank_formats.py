"""Question banks as branches receive them: other column names and keys, no 题型 or 分类,
the {"题干|选项": "答案"} and 【习题N】 forms, blanks kept, many bad rows said once."""

from __future__ import annotations

import json

import pytest

from bot.clock import FixedClock
from tests.files import xlsx_bytes as xlsx

LIMITS = {"max_bytes": 10 * 1024 * 1024, "max_rows": 1000}
BLANK = "（\u3000）"

# A 学习强国 export: 序号 答案 题干 选项A–D 说明, no 题型 and no 分类.
XUEXI_HEADER = ["序号", "答案", "题干", "选项A", "选项B", "选项C", "选项D", "说明"]
XUEXI_ROWS = [
    [1, "B", "党章规定，预备党员的预备期为        。", "半年", "一年", "两年", None, "第七条。"],
    [
        2,
        "ABD",
        "下列属于党的纪律处分的有\u3000\u3000。",
        "警告",
        "严重警告",
        "罚款",
        "开除党籍",
        None,
    ],
    [3, "对", "中国共产党第一次全国代表大会于1921年召开。", None, None, None, None, None],
    [4, "32", "党员每年集中学习培训时间一般不少于____学时。", None, None, None, None, None],
    [5, "A", "        是国家的根本大法。", "A. 宪法", "B、刑法", None, None, None],
]


async def _import(name: str, data: bytes, **kwargs):
    from plugins.quiz.bank import import_bank

    return await import_bank(name, data, **LIMITS, **kwargs)


async def _questions() -> list[tuple[str, str, list[str], str, str]]:
    from nonebot_plugin_orm import get_session
    from sqlalchemy import select

    from plugins.quiz.models import Question

    async with get_session() as session:
        rows = await session.scalars(select(Question).order_by(Question.id))
        return [(q.kind, q.stem, list(q.options), q.answer, q.category) for q in rows]


async def test_a_xuexi_export_without_kind_or_category(clock: FixedClock) -> None:
    from plugins.quiz import messages

    report = await _import("学习强国挑战.xlsx", xlsx(XUEXI_HEADER, XUEXI_ROWS))
    assert (report.added, report.rejected, report.written) == (5, 0, True)
    assert await _questions() == [
        ("单选", f"党章规定，预备党员的预备期为{BLANK}。", ["半年", "一年", "两年"], "B", "学习强国挑战"),
        ("多选", f"下列属于党的纪律处分的有{BLANK}。", ["警告", "严重警告", "罚款", "开除党籍"], "ABD", "学习强国挑战"),
        ("判断", "中国共产党第一次全国代表大会于1921年召开。", [], "对", "学习强国挑战"),
        ("填空", f"党员每年集中学习培训时间一般不少于{BLANK}学时。", [], "32", "学习强国挑战"),
        ("单选", f"{BLANK}是国家的根本大法。", ["宪法", "刑法"], "A", "学习强国挑战"),
    ]  # fmt: skip
    assert messages.import_report(report, cli=True) == "\n".join(
        [
            "导入完成：新增 5 题，重复跳过 0 题，有误 0 行",
            "认出的列：题干→题目、说明→解析",
            "没有写题型的题按答案定了题型：单选 2、多选 1、判断 1、填空 1 题",
            "5 题没有分类，按文件名归入「学习强国挑战」（导入时可用 --category 指定）",
        ]
    )
    assert "可改文件名或加「分类」列再发" in messages.import_report(report, cli=False)


async def test_category_option_and_a_file_name_with_a_number(clock: FixedClock) -> None:
    from plugins.quiz.bank import file_category

    report = await _import("题库.xlsx", xlsx(XUEXI_HEADER, XUEXI_ROWS), category="支部自编")
    assert report.named == 0
    assert {row[4] for row in await _questions()} == {"支部自编"}
    assert file_category("31.中国共产党章程.txt") == "中国共产党章程"
    assert file_category("02_党史.xlsx") == "党史"
    assert file_category("2024题库.xlsx") == "2024题库"
    assert file_category("学习强国题库(1).xlsx") == "学习强国题库"
    assert file_category("题库 - 副本.csv") == "题库"


async def test_a_json_list_with_english_keys(clock: FixedClock) -> None:
    from plugins.quiz import messages

    items = [
        {
            "category": "挑战题",
            "content": "研究表明，中国沿海海平面上升速率为3.3        。",
            "options": ["毫米/年", "厘米/年", "米/年"],
            "answer": "A",
            "excludes": "",
            "notes": "",
        },
        {"question": "党的根本组织原则是（）。", "options": {"A": "民主集中制", "B": "集体领导"},
         "answer": "民主集中制", "analysis": "党章第十条。", "category": "党章"},
        {"题目": "下列属于党的三大作风的有(   )", "选项": ["理论联系实际", "密切联系群众", "批评与自我批评"],
         "answer": ["A", "B", "C"], "type": "多选题", "分类": "党章"},
    ]  # fmt: skip
    report = await _import("data.json", json.dumps(items, ensure_ascii=False).encode())
    assert (report.added, report.rejected) == (3, 0)
    assert await _questions() == [
        ("单选", f"研究表明，中国沿海海平面上升速率为3.3{BLANK}。", ["毫米/年", "厘米/年", "米/年"], "A", "挑战题"),
        ("单选", f"党的根本组织原则是{BLANK}。", ["民主集中制", "集体领导"], "A", "党章"),
        ("多选", f"下列属于党的三大作风的有{BLANK}", ["理论联系实际", "密切联系群众", "批评与自我批评"], "ABC", "党章"),
    ]  # fmt: skip
    text = messages.import_report(report, cli=True)
    assert "认出的键：category→分类、content→题目、options→选项、answer→答案、notes→解析" in text
    assert "没用上的键：excludes" in text
    assert "没有写题型的题按答案定了题型：单选 2 题" in text


async def test_question_answer_pairs(clock: FixedClock) -> None:
    """{"题干|选项…": "答案文字"}: the answer's text becomes the option's letter."""
    from plugins.quiz import messages

    pairs = {
        "扑救火灾最有利的阶段是\xa0\xa0\xa0\xa0。|火灾初起阶段|火灾发展阶段|火灾猛烈燃烧阶段": "火灾初起阶段",
        "LED灯比白炽灯节能。\xa0\xa0\xa0\xa0|正确|错误": "正确",
        "清代画家\xa0\xa0\xa0\xa0是“扬州八怪”之一。来源：参见《书法》（重庆出版社2017年版）|刘墉|郑板桥": "郑板桥",
        "党的最高理想是实现\xa0\xa0\xa0\xa0。": "共产主义",
        "选择正确的读音\xa0\xa0。|粗糙cāo|粗糙zào": "粗糙cuō",
    }  # fmt: skip
    data = json.dumps(pairs, ensure_ascii=False).encode()
    report = await _import("题库_排序版.json", data)
    assert report.written is False
    assert [messages.problem(p) for p in report.problems] == [
        "第5条：答案「粗糙cuō」既不是选项字母，也不是哪个选项的原文"
    ]
    report = await _import("题库_排序版.json", data, skip_invalid=True)
    assert (report.added, report.rejected) == (4, 1)
    assert await _questions() == [
        ("单选", f"扑救火灾最有利的阶段是{BLANK}。", ["火灾初起阶段", "火灾发展阶段", "火灾猛烈燃烧阶段"], "A", "题库_排序版"),
        ("单选", "LED灯比白炽灯节能。", ["正确", "错误"], "A", "题库_排序版"),
        ("单选", f"清代画家{BLANK}是“扬州八怪”之一。", ["刘墉", "郑板桥"], "B", "题库_排序版"),
        ("填空", f"党的最高理想是实现{BLANK}。", [], "共产主义", "题库_排序版"),
    ]  # fmt: skip
    text = messages.import_report(report, cli=True)
    assert "按「题干|选项… → 答案文字」对照表读取" in text
    assert "--skip-invalid" not in text


async def test_a_single_question_object_is_not_a_pairs_file(clock: FixedClock) -> None:
    from plugins.quiz.bankfiles import BankFileError

    with pytest.raises(BankFileError, match="JSON 文件应当是题目列表"):
        await _import("一题.json", '{"题型": "单选", "题目": "问"}'.encode())


TEXT_QUIZ = """

《31.中国共产党章程   总纲》

【习题1（单选题 ）】
Question：中国共产党是中国工人阶级的先锋队，同时是（ ）的先锋队。\\n
Answer：
 D.无产阶级
√ C.中国人民和中华民族
 B.中华民族
 A.中国人民

【习题2（多选题 ）】
Question：十八大党章提出建设（ ）的马克思主义执政党。\\n
Answer：
√ B.服务型
√ A.学习型
 C.发展型
√ D.创新型

【习题3（判断题 ）】
Question：以经济建设为中心是兴国之要。\\n
Answer：
√ 正确
 错误


《31.中国共产党章程   第一章 党员》

【习题1（单选题 ）】
Question：党员有退党的自由。党员要求退党，应当经支部大会讨论后（），并报上级党组织备案。
Answer：
 A.宣布除名
 B.宣布其退党

【习题2（判断题 ）】
Question：预备党员转为正式党员，应该支部大会讨论通过和上级党组织批准。
Answer：
 正确
√ 错误
"""


async def test_a_gbk_text_quiz_with_ticks(clock: FixedClock) -> None:
    from plugins.quiz import messages

    data = TEXT_QUIZ.encode("gbk")
    report = await _import("31.中国共产党章程.txt", data)
    assert [messages.problem(p) for p in report.problems] == ["第30行：缺少答案"]
    report = await _import("31.中国共产党章程.txt", data, skip_invalid=True)
    assert (report.added, report.rejected) == (4, 1)
    assert await _questions() == [
        ("单选", f"中国共产党是中国工人阶级的先锋队，同时是{BLANK}的先锋队。", ["中国人民", "中华民族", "中国人民和中华民族", "无产阶级"], "C", "中国共产党章程"),
        ("多选", f"十八大党章提出建设{BLANK}的马克思主义执政党。", ["学习型", "服务型", "发展型", "创新型"], "ABD", "中国共产党章程"),
        ("判断", "以经济建设为中心是兴国之要。", [], "对", "中国共产党章程"),
        ("判断", "预备党员转为正式党员，应该支部大会讨论通过和上级党组织批准。", [], "错", "中国共产党章程"),
    ]  # fmt: skip
    assert "按「【习题N】… √」文本题库读取，打 √ 的是答案" in messages.import_report(
        report, cli=True
    )


async def test_a_text_quiz_upload_and_a_text_document(clock: FixedClock) -> None:
    """A .txt sent in chat is a bank only when it holds 【习题N】; a document is left to the
    feature that takes documents."""
    from bot.uploads import Upload
    from plugins.quiz.uploads import import_upload

    note = Upload("学习笔记.txt", 10, "1000", "2001")
    assert await import_upload(note, "第一条 党员要学习。".encode("gbk")) is None
    quiz = Upload("党章题.txt", 10, "1000", "2001")
    reply = await import_upload(quiz, TEXT_QUIZ.replace(" A.宣布除名", "√ A.宣布除名").encode())
    assert reply is not None
    assert reply.startswith("「党章题.txt」导入完成：新增 5 题")


@pytest.mark.parametrize(
    ("raw", "shown"),
    [
        ("上升速率为3.3        。", f"上升速率为3.3{BLANK}。"),
        ("        是国家的根本大法。", f"{BLANK}是国家的根本大法。"),
        ("是\u3000\u3000的", f"是{BLANK}的"),
        ("是\xa0\xa0\xa0的", f"是{BLANK}的"),
        ("不少于____学时", f"不少于{BLANK}学时"),
        ("不少于＿学时", f"不少于{BLANK}学时"),
        ("预备期为（）。", f"预备期为{BLANK}。"),
        ("预备期为 (  ) 。", f"预备期为{BLANK}。"),
        ("除了没有\u3000（ ） 以外", f"除了没有{BLANK}以外"),
        ("(   ）是首都", f"{BLANK}是首都"),
        ("最先提出的是        ", f"最先提出的是{BLANK}"),
        ("京剧两种声腔为  、  。", f"京剧两种声腔为{BLANK}、{BLANK}。"),
        ("LED灯比白炽灯节能。        ", "LED灯比白炽灯节能。"),
        ("Word 文档 的 题", "Word 文档 的 题"),
        (" 前后 有空格 ", "前后 有空格"),
        ("两行\n  的题", "两行 的题"),
    ],
)
def test_blanks_are_kept(raw: str, shown: str) -> None:
    from plugins.quiz.bank import stem_text

    assert stem_text(raw) == shown


async def test_a_blank_at_the_start_of_a_cell_survives_csv_and_xlsx(clock: FixedClock) -> None:
    header = ["题目", "选项A", "选项B", "答案", "分类"]
    rows = [["        是国家的根本大法。", "宪法", "刑法", "A", "法律"]]
    await _import("a.xlsx", xlsx(header, rows))
    csv_text = "题目,选项A,选项B,答案,分类\n  是党的根本组织原则。,民主集中制,集体领导,A,党章\n"
    await _import("b.csv", csv_text.encode("gbk"))
    assert [q[1] for q in await _questions()] == [
        f"{BLANK}是国家的根本大法。",
        f"{BLANK}是党的根本组织原则。",
    ]


async def test_a_missing_answer_column_names_what_was_found(clock: FixedClock) -> None:
    from plugins.quiz.bankfiles import BankFileError

    header = ["序号", "题干", "选项A", "选项B", "正确选项"]
    with pytest.raises(BankFileError) as caught:
        await _import("题库.xlsx", xlsx(header, [[1, "问", "甲", "乙", "A"]]))
    assert str(caught.value) == (
        "第1行应是表头，缺少「答案」列（「答案」也可写作 正确答案、参考答案、标准答案、answer）。"
        "找到的列是：序号、题干、选项A、选项B、正确选项"
    )
    items = [{"q_text": "问", "right": "A"}]
    with pytest.raises(BankFileError, match=r"缺少「题目、答案」键.*找到的键是：q_text、right"):
        await _import("题库.json", json.dumps(items).encode())


async def test_many_rows_with_one_reason_are_said_once(clock: FixedClock) -> None:
    from plugins.quiz import messages

    header = ["题型", "题干", "选项A", "选项B", "答案"]
    rows: list[list[object]] = [["单选", f"第{n}题", "甲", "乙", None] for n in range(1, 31)]
    rows += [["判断", "判断题", None, None, "也许"], ["单选", "好题", "甲", "乙", "A"]]
    rows += [["问答", f"问答{n}", None, None, "x"] for n in range(5)]
    report = await _import("题库.xlsx", xlsx(header, rows), category="党史")
    assert report.written is False
    places = "、".join(f"第{n}行" for n in range(2, 12))
    assert messages.import_report(report, cli=True) == "\n".join(
        [
            "没有导入：有 36 行有误，改正后重新导入（或加 --skip-invalid 只跳过有误的行）：",
            "30 行缺少答案：这些行的「答案」是空的，文件里的列是 题型、题干、选项A、选项B、答案",
            f"  例：{places}…",
            "5 行题型不对（应是 单选、多选、判断 或 填空）：找到的是「问答」",
            "  例：第34行、第35行、第36行、第37行、第38行",
            "第32行：判断题的答案应是 对 或 错，现在是「也许」",
            "认出的列：题干→题目",
        ]
    )

    skipped = await _import("题库.xlsx", xlsx(header, rows), category="党史", skip_invalid=True)
    assert (skipped.added, skipped.rejected, skipped.written) == (1, 36, True)
    text = messages.import_report(skipped, cli=True)
    assert text.startswith("导入完成：新增 1 题，重复跳过 0 题，有误 36 行\n")
    assert "跳过的有误的行：\n30 行缺少答案" in text
    assert "--skip-invalid" not in text


async def test_skip_invalid_with_nothing_valid_does_not_advise_it(clock: FixedClock) -> None:
    from plugins.quiz import messages

    header = ["题干", "答案"]
    rows: list[list[object]] = [[f"第{n}题", None] for n in range(12)]
    report = await _import("题库.xlsx", xlsx(header, rows), skip_invalid=True)
    text = messages.import_report(report, cli=True)
    assert text.splitlines()[:2] == [
        "没有导入：12 行都有误，没有可导入的题：",
        "12 行都缺少答案：这些行的「答案」是空的，文件里的列是 题干、答案",
    ]
    assert "--skip-invalid" not in text


async def test_one_stem_with_other_options_is_another_question(clock: FixedClock) -> None:
    """「选择正确的读音（　）。」 asked of many words: within a file, rows sharing a stem but
    not their options are all kept; the same question twice is still one."""
    pairs = {
        "选择正确的读音\xa0\xa0。|粗糙cāo|粗糙zào": "粗糙cāo",
        "选择正确的读音\xa0\xa0。|忏chàn悔|忏qiān悔": "忏chàn悔",
        "选择正确的读音  。|粗糙zào|粗糙cāo": "粗糙cāo",
        "铈是一种\xa0\xa0元素。|稀土|非金属": "稀土",
        "铈是一种\xa0\xa0元素。来源：《十万个为什么》（第六版）|稀土|非金属": "稀土",
    }
    report = await _import("读音.json", json.dumps(pairs, ensure_ascii=False).encode())
    assert (report.added, report.duplicates) == (3, 2)
    again = await _import("读音.json", json.dumps(pairs, ensure_ascii=False).encode())
    assert (again.added, again.duplicates) == (0, 5)
