"""Reply texts of branches and links, in one place."""

from __future__ import annotations

from .service import LinkRefused, LinkView

NO_NUMBER = "请写上群号"
BAD_NUMBER = "群号应是数字，现在是「{arg}」"
NO_REQUEST_NUMBER = "请写上关联申请的编号"
BAD_REQUEST_NUMBER = "编号应是数字，现在是「{arg}」"


def requested(link: LinkView, target: str) -> str:
    return (
        f"已申请把本群并入群{target}所在的支部（申请 #{link.id}）。"
        f"请那个支部的书记或群管理员在群{target}里发「确认关联 {link.id}」。"
    )


def decided(link: LinkView) -> str:
    if link.outcome == "approved":
        return f"已同意：群{link.chat_id}并入本支部。发「支部」查看。"
    return f"已拒绝群{link.chat_id}的关联申请 #{link.id}。"


def link_refused(refusal: LinkRefused) -> str:
    match refusal.reason:
        case "itself":
            return "不能关联本群自己"
        case "already_in":
            return f"本群已经在群{refusal.chat_id}所在的支部里了"
        case "own_in_use":
            return "本群的支部已有名册或其他群，不能再并入别的支部"
        case "no_such_request":
            return f"本支部没有编号为 {refusal.request_id} 的关联申请"
        case "decided":
            return f"关联申请 {refusal.request_id} 已经处理过了"
        case "joining_in_use":
            return f"群{refusal.chat_id}的支部已有名册或其他群，不能并入"
