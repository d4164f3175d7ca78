"""Reply texts of the roster, in one place. Group replies carry counts only: real names,
status and dates go to officers in private."""

from __future__ import annotations

from bot.branch import BranchView, ChatView

from .binding import BindRefused
from .importing import COLUMNS, Report, RowError
from .service import OFFICES, STATUSES, Counts, PersonView

NOT_IN_ROSTER = "你还不在任何支部的名册里。请在支部的群里发「支部」，或请支委把你加进名册。"
PRIVATE_LIST = "名单只私聊发给支委：请私聊我发「名册」。"
EMPTY = "名册还是空的。管理员把名册表格（第一行：{columns}）上传到群里即可导入。"
UNBOUND_FILTER = ("未绑定",)
BAD_FILTER = "「名册」后面只能跟「未绑定」"
PRIVATE_UPLOAD_NO_GROUP = (
    "「{name}」没有导入：私聊发名册时，请在文件名里写上群号，例如「名册-123456789.xlsx」。"
)


def columns() -> str:
    return " | ".join(COLUMNS)


def branch_name(branch: BranchView, chats: list[ChatView]) -> str:
    if branch.name:
        return branch.name
    return f"群{chats[0].chat_id}的支部" if chats else "未命名支部"


def _counts(counts: Counts) -> list[str]:
    if not counts.total:
        return ["名册：还没有人（上传名册表格即可导入）"]
    statuses = "，".join(f"{s}{n}" for s, n in counts.by_status.items())
    lines = [f"名册：共{counts.total}人（{statuses}）"]
    groups = [(g, n) for g, n in counts.by_group.items() if g]
    if groups:
        rest = counts.by_group.get("", 0)
        text = "，".join(f"{g}{n}人" for g, n in groups)
        lines.append(f"党小组：{text}" + (f"，未分组{rest}人" if rest else ""))
    if counts.unreachable:
        lines.append(f"未绑定QQ：{counts.unreachable}人")
    return lines


def branch(branch: BranchView, chats: list[ChatView], counts: Counts) -> str:
    names = "、".join(f"群{c.chat_id}" for c in chats) or "（无）"
    lines = [f"本支部：{branch_name(branch, chats)}", f"关联的群：{names}", *_counts(counts)]
    lines.append("支委可私聊我发「名册」看名单；并入别的支部：关联支部 <群号>")
    return "\n".join(lines)


def _scoped(scope: str | None) -> str:
    """What a 党小组长 sees is their own 党小组: say so."""
    return f"（{scope}，你是该党小组的党小组长）\n" if scope else ""


def roster_counts(counts: Counts, *, unbound_only: bool, scope: str | None = None) -> str:
    if unbound_only:
        return f"{_scoped(scope)}未绑定QQ的有{counts.unreachable}人。{PRIVATE_LIST}"
    return _scoped(scope) + "\n".join([*_counts(counts), PRIVATE_LIST])


def _date(value: object) -> str:
    return str(value) if value else "—"


def person_line(person: PersonView) -> str:
    parts = [person.name, person.status]
    if person.party_group:
        parts.append(person.party_group)
    if person.office:
        parts.append(person.office)
    parts.append(f"入党{_date(person.joined_on)}")
    if person.confirmed_on:
        parts.append(f"转正{person.confirmed_on}")
    qq = "、".join(a.user_id for a in person.accounts) or "未绑定"
    parts.append(f"QQ {qq}" if person.accounts else qq)
    return " · ".join(parts)


def roster_list(people: list[PersonView], *, unbound_only: bool, scope: str | None = None) -> str:
    shown = [p for p in people if not p.reachable] if unbound_only else people
    title = ("未绑定QQ的人" if unbound_only else "名册") + (f" · {scope}" if scope else "")
    if not shown:
        return "没有未绑定QQ的人。" if unbound_only else EMPTY.format(columns=columns())
    lines = [f"{title}（{len(shown)}人）："]
    lines += [f"{i}. {person_line(p)}" for i, p in enumerate(shown, 1)]
    return "\n".join(lines)


def import_report(report: Report, *, limit: int = 20) -> str:
    if not report.written:
        lines = [
            f"没有导入：有 {report.rejected} 行有误，改好后重新导入"
            "（命令行可加 --skip-invalid 只跳过有误的行）："
        ]
    else:
        lines = [
            f"名册已导入：新增{report.added}人，更新{report.updated}人，"
            f"没有变化{report.unchanged}人。"
        ]
        if report.rejected:
            lines.append(f"跳过有误的 {report.rejected} 行：")
    lines += [row_error(e) for e in report.errors[:limit]]
    if len(report.errors) > limit:
        lines.append(f"……还有 {len(report.errors) - limit} 行有误")
    if report.written:
        lines.append("发「支部」看人数。")
    return "\n".join(lines)


def row_error(error: RowError) -> str:
    """`第N行：<reason>` for a bad row of a roster file."""
    v = error.values
    match error.code:
        case "no_name":
            reason = "缺少姓名"
        case "name_too_long":
            reason = f"姓名太长（最多{v['limit']}字）"
        case "bad_qq":
            reason = f"QQ号「{v['qq']}」不对，应是数字"
        case "bad_status":
            reason = f"状态「{v['status']}」应是 {'、'.join(STATUSES)} 之一"
        case "group_too_long":
            reason = f"党小组名太长（最多{v['limit']}字）"
        case "bad_office":
            reason = f"职务「{v['office']}」应是 {'、'.join(OFFICES)} 之一，或留空"
        case "bad_date":
            reason = f"{v['column']}看不懂，请写成 2020-07-01"
        case "no_such_day":
            reason = f"{v['column']}这一天不存在"
        case "confirmed_before_joined":
            reason = "转正日期早于入党日期"
        case "date_in_future":
            reason = f"{v['column']}在今天之后"
        case "same_qq":
            reason = f"QQ号 {v['qq']} 和第{v['first']}行重复"
        case "same_name":
            reason = f"姓名和第{v['first']}行重复"
        case "qq_of_other_branch":
            reason = f"QQ号 {v['qq']} 已登记在另一个支部"
        case "qq_of_other_person":
            reason = f"QQ号 {v['qq']} 已属于名册里的另一个人，而这个姓名也已在名册里"
    return f"第{error.row}行：{reason}"


def file_refused(name: str, reason: str) -> str:
    return f"「{name}」没有导入：{reason}。表头：{columns()}"


NO_NAME = "请写上你在名册里的姓名"
NO_BIND_NUMBER = "请写上绑定申请的编号"
BAD_BIND_NUMBER = "编号应是数字，现在是「{arg}」"
NOT_BOUND = "你还没有绑定名册，不用解绑。"
UNBOUND = "已解除你的QQ和名册的绑定。"
UNBIND_OTHERS = "解除别人的绑定只限支委和群管理员。解除你自己的，发「解绑」"


def bind_requested(request_id: int, *, told: int) -> str:
    whom = f"已私聊通知{told}位支委" if told else "群管理员或支委可以发「确认绑定」处理"
    return f"绑定申请 #{request_id} 已提交，{whom}。确认后我会私聊告诉你。"


def bind_asked(request_id: int, user_id: str, shown: str, name: str) -> str:
    """To an officer, privately."""
    return (
        f"绑定申请 #{request_id}：QQ {user_id}（{shown}）说自己是名册里的「{name}」。"
        f"同意发「确认绑定 {request_id}」，不同意发「拒绝绑定 {request_id}」。"
    )


def bind_decided(request_id: int, approved: bool, name: str, user_id: str, *, private: bool) -> str:
    verb = "已确认" if approved else "已拒绝"
    if not private:
        return f"{verb}绑定申请 #{request_id}。"
    return f"{verb}绑定申请 #{request_id}：QQ {user_id} → 「{name}」。"


def bind_told(request_id: int, approved: bool, name: str) -> str:
    """To the member, privately."""
    if approved:
        return f"你的绑定申请 #{request_id} 已通过：你的QQ已绑定名册里的「{name}」。"
    return f"你的绑定申请 #{request_id} 没有通过。如有疑问请联系支委。"


def unbound_person(count: int) -> str:
    return f"已解除这个人的{count}个QQ绑定。" if count else "这个人没有绑定QQ。"


def bind_refused(refusal: BindRefused) -> str:
    match refusal.reason:
        case "already_bound":
            return "你已经绑定了名册。要换人请先发「解绑」"
        case "unknown_name":
            return "本支部名册里没有这个姓名，请写名册上的全名，或请支委把你加进名册"
        case "no_such_request":
            return f"本支部没有编号为 {refusal.request_id} 的绑定申请"
        case "decided":
            return f"绑定申请 {refusal.request_id} 已经处理过了"
        case "account_taken":
            return "这个QQ已经绑定了名册里的人，要换人请本人先发「解绑」"
        case "not_in_roster":
            return "本支部名册里没有这个姓名"
