"""Bylines as readers, feeds, JSON-LD and ninjs see them: each name with what it did for the
story (`NEWSROOM_BYLINE_ROLES`), grouped by role in the configured order:
“By Anna Petrova and Ivan Sokolov. Photos by Maria Lind.”"""

from dataclasses import dataclass

from .conf import default_byline_role, newsroom_setting


@dataclass(frozen=True)
class Credit:
    """One name in a story's byline. `role` is the person's job title (“Moscow
    correspondent”), `contribution` what they did for this story (“photos”)."""

    name: str
    role: str = ""
    slug: str = ""
    contribution: str = ""

    @classmethod
    def from_stored(cls, stored: dict) -> "Credit":
        """A byline entry as an article's publication stored it (older ones have no role)."""
        return cls(
            name=stored["name"],
            role=stored.get("role", ""),
            slug=stored.get("slug", ""),
            contribution=stored.get("contribution") or default_byline_role(),
        )


@dataclass(frozen=True)
class CreditGroup:
    contribution: str
    label: str  # “Photos”
    words: str  # “Photos by”
    schema_property: str  # “contributor”
    credits: tuple[Credit, ...]


def _role(key: str) -> tuple[str, str, str]:
    roles = newsroom_setting("BYLINE_ROLES")
    if key in roles:
        return roles[key]
    # A role since removed from the settings: still shown, in plain words.
    label = key.replace("_", " ").capitalize()
    return (label, f"{label} by", "contributor")


def grouped(credits) -> list[CreditGroup]:
    """The byline's names grouped by contribution, in the configured order of roles (a role
    no longer configured comes last), each group in the editors' order."""
    order = list(newsroom_setting("BYLINE_ROLES"))
    by_role: dict[str, list[Credit]] = {}
    for credit in credits:
        by_role.setdefault(credit.contribution or default_byline_role(), []).append(credit)
    keys = sorted(by_role, key=lambda k: order.index(k) if k in order else len(order))
    return [CreditGroup(key, *_role(key), credits=tuple(by_role[key])) for key in keys]


def join_names(names: list[str]) -> str:
    """“A”, “A and B”, “A, B and C”."""
    if len(names) <= 1:
        return "".join(names)
    return f"{', '.join(names[:-1])} and {names[-1]}"


def byline_text(credits) -> str:
    """The whole byline in one sentence per role: “By A and B. Photos by C.”"""
    return " ".join(
        f"{group.words} {join_names([c.name for c in group.credits])}."
        for group in grouped(credits)
    )


def author_names(credits) -> list[str]:
    """Names the JSON-LD counts as the story's authors (reporting and additional reporting, by
    default): what a feed's author element carries."""
    return [
        credit.name
        for group in grouped(credits)
        if group.schema_property == "author"
        for credit in group.credits
    ]
