"""/mydata and /forget cover the same set of tables: every column that refers to a person."""

from core.models import Base
from core.privacy import PERSONAL

RULE = {"CASCADE": "delete", "SET NULL": "unlink"}


def person_references() -> dict[str, str]:
    """table.column -> ON DELETE rule, for every foreign key to person.id in the models."""
    found = {}
    for table in Base.metadata.tables.values():
        for key in table.foreign_keys:
            if key.column.table.name == "person":
                found[f"{table.name}.{key.parent.name}"] = str(key.ondelete)
    return found


def test_every_reference_to_a_person_is_listed_with_what_forget_does() -> None:
    references = person_references()
    listed = {entry.column: entry.forget for entry in PERSONAL}
    assert set(listed) == set(references)  # a new table referring to people must be listed
    for column, rule in references.items():
        assert RULE.get(rule) == listed[column], column  # the foreign key does what it says


def test_each_listed_reference_has_its_own_place_in_the_export() -> None:
    keys = [entry.shown_as for entry in PERSONAL]
    assert len(keys) == len(set(keys))
