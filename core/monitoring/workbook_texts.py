"""The workbook's fixed wording in Russian and English."""

from core.monitoring.catalogue import ScopeType
from core.monitoring.rules import Reason

TEXTS: dict[str, dict[str, str]] = {
    "ru": {
        "definitions_sheet": "Определения",
        "definitions_title": "Показатели: определения, источники, правила защиты",
        "definition_columns": "Ключ|Название|Определение|Name|Definition|Источник (концепция)|Вид"
        "|Минимальная группа|Знаменатель|Разрезы",
        "class_rule": "; скрыто, если с одной стороны меньше {m} человек",
        "hidden_prefix": "скрыто",
        "no_data": "нет данных",
        "explain_small": "В группе меньше k человек.",
        "explain_complementary": "Скрыто, потому что доля показала бы состояние членов группы "
        "(с одной стороны меньше 3 человек, например 0 % или 100 %), или чтобы другую скрытую "
        "ячейку нельзя было вычислить из итога, других разрезов или других периодов; которое "
        "из двух, не сказано: это тоже выдало бы долю.",
    },
    "en": {
        "definitions_sheet": "Definitions",
        "definitions_title": "Indicators: definitions, sources, protection rules",
        "definition_columns": "Key|Название|Определение|Name|Definition|Source (concept)|Kind"
        "|Minimum group|Denominator|Breakdowns",
        "class_rule": "; hidden when fewer than {m} people are on one side",
        "hidden_prefix": "hidden",
        "no_data": "no data",
        "explain_small": "Fewer than k people in the group.",
        "explain_complementary": "Hidden because the share would tell its members' status (fewer "
        "than 3 people on one side, such as 0 % or 100 %), or so that another hidden cell cannot "
        "be worked out from a total, other breakdowns or other periods; which of the two is not "
        "said, as that too would give the share away.",
    },
}
HEADERS = {
    "ru": ["Период", "Разрез", "Объект", "Область / кампания", "Числитель", "Знаменатель",
           "Знаменатель: откуда", "n", "Значение", "Причина скрытия"],
    "en": ["Period", "Breakdown", "Unit", "Area / campaign", "Numerator", "Denominator",
           "Denominator from", "n", "Value", "Why hidden"],
}  # fmt: skip
MARKS = {
    "ru": {
        Reason.SMALL: "скрыто, n < k",
        Reason.COMPLEMENTARY: "скрыто для защиты данных",
    },
    "en": {
        Reason.SMALL: "hidden, n < k",
        Reason.COMPLEMENTARY: "hidden to protect the data",
    },
}
SCOPES = {
    "ru": {
        ScopeType.MUNICIPALITY: "муниципалитет",
        ScopeType.SCHOOL: "школа",
        ScopeType.SUBJECT: "предмет",
    },
    "en": {
        ScopeType.MUNICIPALITY: "municipality",
        ScopeType.SCHOOL: "school",
        ScopeType.SUBJECT: "subject",
    },
}


def language_of(language: str) -> str:
    """ "en" for English, "ru" for anything else."""
    return "en" if language == "en" else "ru"
