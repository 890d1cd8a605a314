"""One engine for every multi-step form (the profile, a seminar, a campaign, an announcement).

A form is a declared spec: its fields in order (typed text, one button, several to tick, or the
shared audience picker), which draft it fills, when a field is needed, and how each field is
taken and asked. The engine runs the steps from the spec: begin, the field asked now, take a
typed or pressed value, advance, ask one field again from the summary, leave that correction,
and the audience steps. What a person is asked is a Screen (plain data). The pending step is
kept on the person (form, field, target, edit), so a restart loses nothing.
"""

from core.forms.audience import audience_label, audience_question, ticked
from core.forms.engine import at_summary, begin, current, field_of, pressed, summary_of, typed
from core.forms.spec import SUMMARY, Act, Context, Field, Form, Kind, Press, Step

__all__ = [
    "SUMMARY",
    "Act",
    "Context",
    "Field",
    "Form",
    "Kind",
    "Press",
    "Step",
    "at_summary",
    "audience_label",
    "audience_question",
    "begin",
    "current",
    "field_of",
    "pressed",
    "summary_of",
    "ticked",
    "typed",
]
