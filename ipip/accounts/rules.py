"""Which details an account needs for its role: pure rules, shared by forms and actions."""

from ipip.accounts.models import AREA_ROLES, Role
from ipip.core.errors import DomainError


class InvalidAccount(DomainError):
    """An account's details break a rule. `errors` maps each form field to its message."""

    def __init__(self, errors: dict[str, str]) -> None:
        super().__init__(" ".join(errors.values()))
        self.errors = errors


def account_problems(
    *, role: Role, has_area: bool, agency_type: str, agency_name: str
) -> dict[str, str]:
    """What is wrong with these details for `role`, by field name; empty when all is well.

    Practitioners and centre managers work in one area (cases are scoped by it), and only
    they have one. Referrers belong to a partner agency, and only they have one.
    """
    problems: dict[str, str] = {}
    if role in AREA_ROLES and not has_area:
        problems["area"] = "Choose the area: practitioners and centre managers work in one area"
    elif role not in AREA_ROLES and has_area:
        problems["area"] = (
            "Leave the area empty: only practitioners and centre managers have an area"
        )
    if role == Role.REFERRER:
        if not agency_type:
            problems["agency_type"] = "Choose the agency type: referrers work for an agency"
        if not agency_name.strip():
            problems["agency_name"] = "Enter the agency name: referrers work for an agency"
    else:
        if agency_type:
            problems["agency_type"] = "Leave the agency type empty: only referrers have an agency"
        if agency_name.strip():
            problems["agency_name"] = "Leave the agency name empty: only referrers have an agency"
    return problems
