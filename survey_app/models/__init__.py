"""Typed SQLAlchemy models, one module per aggregate."""

from survey_app.models.account_link import AccountLink, LinkPurpose
from survey_app.models.audit import AuditEntry
from survey_app.models.briefing import Briefing
from survey_app.models.briefing_text import BriefingText
from survey_app.models.coding import AnswerTheme, Theme
from survey_app.models.instrument import InstrumentOwner, InstrumentVersion
from survey_app.models.login_throttle import LoginThrottle
from survey_app.models.moderation import ReviewState, TextReview
from survey_app.models.release import Release
from survey_app.models.response import Answer, Response
from survey_app.models.set_aside import (
    SetAside,
    SetAsideResponse,
    counted_answers,
    counted_responses,
)
from survey_app.models.site_setting import SiteSetting
from survey_app.models.summary_cache import SummaryPart
from survey_app.models.user import (
    AccessLevel,
    ApiToken,
    Role,
    SeriesMember,
    SsoIdentity,
    TokenScope,
    TokenState,
    User,
)
from survey_app.models.workshop import (
    DEFAULT_TIME_ZONE,
    InvalidTransition,
    PaceState,
    Series,
    Workshop,
    WorkshopState,
)

__all__ = [
    "DEFAULT_TIME_ZONE",
    "AccessLevel",
    "AccountLink",
    "Answer",
    "AnswerTheme",
    "AuditEntry",
    "ApiToken",
    "Briefing",
    "BriefingText",
    "InstrumentOwner",
    "InstrumentVersion",
    "InvalidTransition",
    "LinkPurpose",
    "LoginThrottle",
    "PaceState",
    "Response",
    "Release",
    "ReviewState",
    "Role",
    "Series",
    "SetAside",
    "SetAsideResponse",
    "SiteSetting",
    "SummaryPart",
    "SeriesMember",
    "SsoIdentity",
    "TextReview",
    "Theme",
    "TokenScope",
    "TokenState",
    "User",
    "Workshop",
    "WorkshopState",
    "counted_answers",
    "counted_responses",
]
