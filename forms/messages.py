"""Built-in issue and coercion messages in zh-CN and en. `{label}` is the field's label."""

from __future__ import annotations

MESSAGES: dict[str, tuple[str, str]] = {
    # Coercion: the value has the wrong shape. These block saving.
    "unknown_field": (
        "“{label}”不是此表单的字段，请删除该列或检查表单版本。",
        "{label} is not a field of this form: remove it or check the form version.",
    ),
    "not_text": ("“{label}”应为文字。", "{label} must be text."),
    "not_integer": ("“{label}”应为整数，例如 12。", "{label} must be a whole number, e.g. 12."),
    "integer_too_large": (
        "“{label}”的数值过大，请检查是否多输入了数字。",
        "{label} is too large a number: check for extra digits.",
    ),
    "not_number": ("“{label}”应为数字，例如 12.5。", "{label} must be a number, e.g. 12.5."),
    "not_date": (
        "“{label}”应为日期，格式为 年-月-日，例如 2026-09-01。",
        "{label} must be a date written year-month-day, e.g. 2026-09-01.",
    ),
    "not_boolean": ("“{label}”应为“是”或“否”。", "{label} must be yes or no."),
    "unknown_choice": (
        "“{label}”的选项“{value}”不在可选范围内，请从列表中选择。",
        "{value!r} is not one of the choices of {label}: pick one from the list.",
    ),
    "not_list": ("“{label}”应为选项列表。", "{label} must be a list of choices."),
    "not_rows": ("“{label}”应为若干行。", "{label} must be a list of rows."),
    "bad_row_id": (
        "“{label}”中有一行缺少有效的行编号（_row），请删除后重新添加该行。",
        "A row of {label} has no valid row id (_row): delete the row and add it again.",
    ),
    "duplicate_row_id": (
        "“{label}”中有两行的行编号相同，请删除其中一行后重新添加。",
        "Two rows of {label} share one row id: delete one and add it again.",
    ),
    "not_object": (
        "表单数据应为“字段名：值”的集合。",
        "Form values must be a field-to-value mapping.",
    ),
    # Validation: the record can be saved as a draft but these are shown.
    "required": ("请填写“{label}”。", "Fill in {label}."),
    "required_choice": ("请至少选择一项“{label}”。", "Choose at least one {label}."),
    "min": ("“{label}”不能小于 {limit}。", "{label} must be at least {limit}."),
    "min_exclusive": ("“{label}”必须大于 {limit}。", "{label} must be more than {limit}."),
    "max": ("“{label}”不能大于 {limit}。", "{label} must be at most {limit}."),
    "max_length": (
        "“{label}”最多 {limit} 个字，请删减。",
        "{label} may be at most {limit} characters long: shorten it.",
    ),
    "pattern": ("“{label}”的格式不正确。", "{label} is not in the expected format."),
    "invalid_resident_id": (
        "“{label}”不是有效的居民身份证号码：请核对 18 位号码，最后一位可能是 X。",
        "{label} is not a valid resident ID number: check all 18 characters; the last may be X.",
    ),
    "invalid_uscc": (
        "“{label}”不是有效的统一社会信用代码：请核对营业执照上的 18 位代码。",
        "{label} is not a valid unified social credit code: copy the 18 characters from the"
        " business licence.",
    ),
    "invalid_phone": (
        "“{label}”不是有效的电话号码：手机填 11 位，座机填区号加号码，如 010-12345678。",
        "{label} is not a valid phone number: 11 digits for a mobile, or area code and number"
        " such as 010-12345678.",
    ),
    "invalid_major_code": (
        "“{label}”应为 6 位数字的专业代码（职业教育专业目录 2021），如 460103。",
        "{label} must be a 6-digit major code from the 2021 vocational catalogue, e.g. 460103.",
    ),
}


def message(code: str, label_zh: str, label_en: str, **extra: object) -> tuple[str, str]:
    zh, en = MESSAGES[code]
    return zh.format(label=label_zh, **extra), en.format(label=label_en, **extra)
