"""How members' answers are read: the normalisation table."""

from __future__ import annotations

import pytest

OPTIONS4 = ["甲", "乙", "丙", "丁"]
OPTIONS6 = ["甲", "乙", "丙", "丁", "戊", "己"]


@pytest.mark.parametrize(
    ("kind", "options", "key", "given", "stored", "correct"),
    [
        ("单选", OPTIONS4, "B", "B", "B", True),
        ("单选", OPTIONS4, "B", "b", "B", True),
        ("单选", OPTIONS4, "B", "Ｂ", "B", True),  # full-width
        ("单选", OPTIONS4, "B", " b。", "B", True),
        ("单选", OPTIONS4, "B", "选B", "B", True),
        ("单选", OPTIONS4, "B", "(B)", "B", True),
        ("单选", OPTIONS4, "B", "C", "C", False),
        ("多选", OPTIONS4, "ACD", "acd", "ACD", True),
        ("多选", OPTIONS4, "ACD", "A,C,D", "ACD", True),
        ("多选", OPTIONS4, "ACD", "A C D", "ACD", True),
        ("多选", OPTIONS4, "ACD", "D、A、C", "ACD", True),
        ("多选", OPTIONS4, "ACD", "ＡＣＤ", "ACD", True),
        ("多选", OPTIONS4, "ACD", "a，c，d", "ACD", True),
        ("多选", OPTIONS4, "ACD", "AC", "AC", False),
        ("多选", OPTIONS4, "ACD", "ABCD", "ABCD", False),
        ("多选", OPTIONS6, "ABEF", "fbea", "ABEF", True),
        ("判断", [], "对", "对", "对", True),
        ("判断", [], "对", "正确", "对", True),
        ("判断", [], "对", "√", "对", True),
        ("判断", [], "对", "T", "对", True),
        ("判断", [], "对", "t", "对", True),
        ("判断", [], "对", "是", "对", True),
        ("判断", [], "对", "错", "错", False),
        ("判断", [], "错", "错误", "错", True),
        ("判断", [], "错", "×", "错", True),
        ("判断", [], "错", "F", "错", True),
        ("判断", [], "错", "x", "错", True),
        ("填空", [], "一年|1年", "一年", "一年", True),
        ("填空", [], "一年|1年", "1年", "1年", True),
        ("填空", [], "一年|1年", " 1 年 ", "1 年", True),
        ("填空", [], "一年|1年", "１年", "１年", True),
        ("填空", [], "18", "十八", "十八", True),
        ("填空", [], "遵义会议", "遵义会议。", "遵义会议。", True),
        ("填空", [], "遵义会议", "遵义", "遵义", False),
        ("填空", [], "共产主义", "共产主义", "共产主义", True),
        ("填空", [], "1921|1921年", "1921年", "1921年", True),
    ],
)
def test_answers_are_read_as_members_mean_them(
    kind: str, options: list[str], key: str, given: str, stored: str, correct: bool
) -> None:
    from plugins.quiz.answers import judge

    judged = judge(kind, options, key, given)
    assert (judged.answer, judged.correct) == (stored, correct)


@pytest.mark.parametrize(
    ("kind", "options", "given", "reason"),
    [
        ("单选", OPTIONS4, "", "请写上答案"),
        ("单选", OPTIONS4, "Z", "请用选项字母作答（A–D）"),
        ("单选", OPTIONS4, "E", "这道题只有 A–D 4 个选项"),
        ("单选", OPTIONS4, "AB", "单选题只选一个字母"),
        ("单选", OPTIONS4, "我觉得是B", "请用选项字母作答（A–D）"),
        ("多选", OPTIONS4, "A,Z", "请用选项字母作答（A–D）"),
        ("判断", [], "也许", "判断题请回答 对 或 错（也可以 √ / ×、T / F）"),
        ("填空", [], "。。。", "请写上要填的内容"),
    ],
)
def test_unusable_answers_say_why(kind: str, options: list[str], given: str, reason: str) -> None:
    from plugins.quiz.answers import NotAnAnswer, judge

    with pytest.raises(NotAnAnswer) as caught:
        judge(kind, options, "A" if kind in ("单选", "多选") else "对", given)
    assert str(caught.value) == reason


def test_stem_key_ignores_width_spaces_and_punctuation() -> None:
    from plugins.quiz.answers import stem_key

    assert stem_key("党章规定，预备期为（  ）。") == stem_key("党章规定,预备期为( )")
    assert stem_key("ＡＢＣ") == stem_key("abc")
    assert stem_key("党章规定预备期为一年") != stem_key("党章规定预备期为两年")
