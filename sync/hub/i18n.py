"""The hub's messages in zh-CN (the default) and en, and picking one from Accept-Language."""

from __future__ import annotations

from typing import Literal

Lang = Literal["zh", "en"]


def language(accept_language: str | None) -> Lang:
    """The best of zh and en for an Accept-Language header; zh when neither is asked for."""
    best: tuple[float, Lang] = (0.0, "zh")
    for part in (accept_language or "").split(","):
        tag, _, params = part.strip().partition(";")
        tag = tag.strip().lower()
        quality = 1.0
        for param in params.split(";"):
            name, _, value = param.strip().partition("=")
            if name == "q":
                try:
                    quality = float(value)
                except ValueError:
                    quality = 0.0
        primary = tag.split("-", 1)[0]
        lang: Lang | None = "en" if primary == "en" else "zh" if primary == "zh" else None
        if lang is not None and quality > best[0]:
            best = (quality, lang)
    return best[1]


# HTTP errors, by code. `{...}` fields come from the error's details.
HTTP_ERRORS: dict[str, tuple[str, str]] = {
    "invalid_request": (
        "请求内容不符合接口格式，请检查后重试。",
        "The request does not fit the API schema.",
    ),
    "schema_problem": (
        "请求内容不符合接口格式：{path} {problem}{more}",
        "The request does not fit the API schema: {path} {problem}{more}",
    ),
    "schema_more": ("（另有 {count} 处问题，见 details）", " ({count} more in details)"),
    "bad_cursor": (
        "同步位置（cursor）无效，请不带 cursor 重新拉取。",
        "The cursor is not valid: pull again without a cursor.",
    ),
    "bad_protocol": (
        "请求头 X-Chanjiao-Protocol 应为整数。",
        "The X-Chanjiao-Protocol header must be a whole number.",
    ),
    "unauthenticated": (
        "请先登录：未提供登录凭据，或凭据已过期或被注销。",
        "Log in first: the token is missing, expired or revoked.",
    ),
    "invalid_credentials": ("用户名或密码不正确。", "Wrong username or password."),
    "forbidden": ("您的角色无权执行此操作。", "Your role may not do this."),
    "not_found": ("找不到请求的地址。", "There is nothing at this address."),
    "method_not_allowed": (
        "此地址不支持该请求方法。",
        "This address does not accept that method.",
    ),
    "in_progress": (
        "这一批数据仍在处理中，请稍后重试。",
        "This batch is still being processed: try again shortly.",
    ),
    "too_large": (
        "请求过大：正文不能超过 16 MiB，每批最多 500 条变更。",
        "The request is too large: at most 16 MiB and 500 mutations per push.",
    ),
    "idempotency_mismatch": (
        "同一个 Idempotency-Key 已用于内容不同的另一批数据。",
        "This Idempotency-Key was already used for a different batch.",
    ),
    "upgrade_required": (
        "客户端版本过旧，请升级到最新版本后再同步。",
        "This client is too old for the hub: update it, then sync again.",
    ),
    "rate_limited": (
        "登录失败次数过多，请 {retry_after} 秒后再试。",
        "Too many failed logins: try again in {retry_after} seconds.",
    ),
    "unavailable": (
        "服务器正在维护，请稍后再试。",
        "The hub is down for maintenance: try again later.",
    ),
    "internal": (
        "服务器内部错误，请稍后重试；如仍失败请联系管理员。",
        "The hub failed: try again later, and tell IT if it keeps failing.",
    ),
}

# What is wrong with one member of a request that does not fit the API schema, by the type of
# pydantic's error (and "string_nul", the hub's own); `{...}` come from the error's context.
SCHEMA_PROBLEMS: dict[str, tuple[str, str]] = {
    "body": ("请求正文", "the body"),
    "unknown": ("不符合接口格式。", "does not fit the API schema."),
    "json_invalid": ("不是有效的 JSON（{error}）。", "is not valid JSON ({error})."),
    "missing": ("为必填项。", "is required."),
    "extra_forbidden": ("不是接口中的成员。", "is not a member the API knows."),
    "string_nul": (
        "不能包含 NUL 字符（\\u0000）。",
        "must not contain the NUL character (\\u0000).",
    ),
    "string_type": ("应为字符串。", "must be a string."),
    "string_too_short": (
        "至少应有 {min_length} 个字符。",
        "must have at least {min_length} characters.",
    ),
    "string_too_long": ("最多 {max_length} 个字符。", "must have at most {max_length} characters."),
    "int_type": ("应为整数。", "must be a whole number."),
    "int_parsing": ("应为整数。", "must be a whole number."),
    "int_from_float": ("应为整数。", "must be a whole number."),
    "bool_type": ("应为 true 或 false。", "must be true or false."),
    "bool_parsing": ("应为 true 或 false。", "must be true or false."),
    "greater_than": ("应大于 {gt}。", "must be greater than {gt}."),
    "greater_than_equal": ("不能小于 {ge}。", "must be at least {ge}."),
    "less_than": ("应小于 {lt}。", "must be less than {lt}."),
    "less_than_equal": ("不能大于 {le}。", "must be at most {le}."),
    "uuid_type": ("应为 UUID 字符串。", "must be a UUID string."),
    "uuid_parsing": ("应为 UUID 字符串（{error}）。", "must be a UUID string ({error})."),
    "datetime_type": (
        "应为 ISO 8601 时间，如 2026-11-21T08:00:00Z。",
        "must be an ISO 8601 time such as 2026-11-21T08:00:00Z.",
    ),
    "datetime_parsing": (
        "应为 ISO 8601 时间，如 2026-11-21T08:00:00Z。",
        "must be an ISO 8601 time such as 2026-11-21T08:00:00Z.",
    ),
    "list_type": ("应为列表。", "must be a list."),
    "too_short": ("至少应有 {min_length} 项。", "must have at least {min_length} items."),
    "too_long": ("最多 {max_length} 项。", "must have at most {max_length} items."),
    "dict_type": ("应为对象。", "must be an object."),
    "model_type": ("应为对象。", "must be an object."),
    "model_attributes_type": ("应为对象。", "must be an object."),
    "enum": ("应为 {expected} 之一。", "must be one of {expected}."),
    "literal_error": ("应为 {expected} 之一。", "must be one of {expected}."),
    "union_tag_not_found": ("缺少 {discriminator}。", "needs {discriminator}."),
    "union_tag_invalid": (
        "的 {discriminator} 应为 {expected_tags} 之一，而不是“{tag}”。",
        "has {discriminator} '{tag}', which is not one of {expected_tags}.",
    ),
}

# Why a mutation was rejected, by reason; each reason belongs to one protocol code.
REJECTIONS: dict[str, tuple[str, str]] = {
    "forbidden_record": (
        # A county meets this too when a school withdrew a record to a draft after the county
        # pulled it (drafts are outside a county's scope, so the hub cannot say more).
        "无权操作此记录：它不属于您的学校或区县，或者学校已将它撤回为草稿。",
        "You may not change this record: it is outside your school or county, or its school"
        " withdrew it to a draft.",
    ),
    "forbidden_op": ("您的角色不能对记录执行“{op_zh}”。", "Your role may not {op_en} records."),
    "locked_approved": (
        "记录已审核通过并锁定，需区县重新打开后才能修改。",
        "The record is approved and locked until the county reopens it.",
    ),
    "locked_submitted": (
        "记录已提交审核，请先撤回再修改。",
        "The record is submitted for review: withdraw it before changing it.",
    ),
    "not_found": ("记录不存在。", "There is no such record."),
    "deleted": ("记录已被删除。", "The record has been deleted."),
    "no_conflict": ("此记录没有这个冲突。", "The record has no such conflict."),
    "stale": (
        "记录已在别处被修改（当前版本 {rev}），请先同步再操作。",
        "The record was changed elsewhere (now revision {rev}): sync, then try again.",
    ),
    "conflict_closed": (
        "该冲突已被处理或已被新的冲突取代，请先同步。",
        "That conflict was already resolved or replaced by a newer one: sync first.",
    ),
    "invalid_transition": (
        "记录当前为“{status_zh}”，不能{op_zh}。",
        "A record that is {status_en} cannot be {done_en}.",
    ),
    "unknown_form": (
        "未知的表单“{form}”（版本 {version}），请更新客户端后再同步。",
        "Unknown form {form} version {version}: update the app, then sync again.",
    ),
    "form_mismatch": (
        "记录属于表单“{form}”，不能按其他表单保存。",
        "The record belongs to form {form} and cannot be saved as another form.",
    ),
    "comment_required": (
        "退回或重新打开记录时必须填写意见。",
        "A comment is required to return or reopen a record.",
    ),
}

STATUS_NAMES: dict[str, tuple[str, str]] = {
    "draft": ("草稿", "a draft"),
    "submitted": ("已提交", "submitted"),
    "returned": ("已退回", "returned"),
    "approved": ("已通过", "approved"),
}

OPS: dict[str, tuple[str, str, str]] = {  # zh verb, en verb, en past participle
    "save": ("保存", "save", "saved"),
    "submit": ("提交", "submit", "submitted"),
    "withdraw": ("撤回", "withdraw", "withdrawn"),
    "review": ("审核", "review", "reviewed"),
    "approve": ("审核通过", "approve", "approved"),
    "return": ("退回", "return", "returned"),
    "reopen": ("重新打开", "reopen", "reopened"),
    "delete": ("删除", "delete", "deleted"),
    "resolve": ("解决冲突", "resolve conflicts on", "resolved"),
}


def http_message(code: str, lang: Lang, **details: object) -> str:
    zh, en = HTTP_ERRORS.get(code, HTTP_ERRORS["internal"])
    template = en if lang == "en" else zh
    try:
        return template.format(**details)
    except (KeyError, IndexError):
        return template


def rejection(reason: str, **values: object) -> tuple[str, str]:
    """A rejection message in both languages."""
    extra: dict[str, object] = dict(values)
    if "status" in values:
        zh, en = STATUS_NAMES[str(values["status"])]
        extra.update(status_zh=zh, status_en=en)
    if "op" in values:
        zh, en, done = OPS[str(values["op"])]
        extra.update(op_zh=zh, op_en=en, done_en=done)
    zh_template, en_template = REJECTIONS[reason]
    return zh_template.format(**extra), en_template.format(**extra)
