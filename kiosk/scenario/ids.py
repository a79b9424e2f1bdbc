"""The rule for scenario ids.

A scenario's id names its translation files (`translations/<lang>/<id>.yaml`)
and appears in the practice log and in exports, so it must be a safe, short
file name on every file system: lower-case letters a-z, digits and single
hyphens, at most 64 characters.
"""

from __future__ import annotations

import re

MAX_ID_LENGTH = 64
_ID = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")


def is_valid_scenario_id(scenario_id: object) -> bool:
    return (
        isinstance(scenario_id, str)
        and len(scenario_id) <= MAX_ID_LENGTH
        and _ID.fullmatch(scenario_id) is not None
    )


def scenario_id_problem(scenario_id: str) -> str | None:
    """What is wrong with an id, in plain Dutch for an author; None when it is fine."""
    if is_valid_scenario_id(scenario_id):
        return None
    if len(scenario_id) > MAX_ID_LENGTH:
        return (
            f"Dit id is {len(scenario_id)} tekens lang; het mag hoogstens {MAX_ID_LENGTH} "
            "tekens zijn. Kies een korter id, zoals 'digid-inloggen-sms'."
        )
    return (
        "Een id mag alleen kleine letters (a-z), cijfers en streepjes (-) hebben, zonder "
        "spaties, hoofdletters of streepje aan het begin of eind; zoals 'digid-inloggen-sms'."
    )
