"""Form definitions and the rules engine of Chanjiao Collect. No Qt, no I/O beyond reading
definition files.

    >>> import forms
    >>> internship = forms.bundled_definitions()["internship"]
    >>> issues = forms.validate(internship, {"student_name": "张三"})
"""

from forms.coerce import coerce, to_wire
from forms.compliance import (
    REQUIRED_DAYS,
    Compliance,
    ComplianceRule,
    Placement,
    teacher_compliance,
)
from forms.definition import (
    Choice,
    FieldDef,
    FieldType,
    FormDefinition,
    FormRegistry,
    RuleDef,
    Severity,
    Text,
    bundled_definitions,
    load_definition,
)
from forms.errors import CoercionError, DefinitionError, FormError, Problem, UnknownFormError
from forms.identifiers import (
    is_phone,
    is_resident_id,
    is_uscc,
    mask_id_number,
    resident_id_birth_date,
    resident_id_gender,
)
from forms.validate import (
    FieldStates,
    Issue,
    field_states,
    has_errors,
    issues_of_typed,
    validate,
)

__all__ = [
    "REQUIRED_DAYS",
    "Choice",
    "CoercionError",
    "Compliance",
    "ComplianceRule",
    "DefinitionError",
    "FieldDef",
    "FieldStates",
    "FieldType",
    "FormDefinition",
    "FormError",
    "FormRegistry",
    "Issue",
    "Placement",
    "Problem",
    "RuleDef",
    "Severity",
    "Text",
    "UnknownFormError",
    "bundled_definitions",
    "coerce",
    "field_states",
    "has_errors",
    "is_phone",
    "is_resident_id",
    "is_uscc",
    "issues_of_typed",
    "load_definition",
    "mask_id_number",
    "resident_id_birth_date",
    "resident_id_gender",
    "teacher_compliance",
    "to_wire",
    "validate",
]
