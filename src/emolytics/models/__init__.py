"""Typed tables. Import from here: `from emolytics.models import User`."""

from emolytics.models.dataset import Dataset, TextKeyword, TextRow
from emolytics.models.emotion_model import EmotionModel
from emolytics.models.idempotency import IdempotencyKey
from emolytics.models.job import (
    FINISHED,
    Job,
    JobCount,
    JobKind,
    JobPart,
    JobPoint,
    JobStatus,
    JobTerm,
    Result,
)
from emolytics.models.user import (
    ApiToken,
    LoginEvent,
    SessionAddress,
    User,
    UserSession,
    utcnow,
)

__all__ = [
    "FINISHED",
    "ApiToken",
    "Dataset",
    "EmotionModel",
    "IdempotencyKey",
    "Job",
    "JobCount",
    "JobKind",
    "JobPart",
    "JobPoint",
    "JobStatus",
    "JobTerm",
    "LoginEvent",
    "Result",
    "SessionAddress",
    "TextKeyword",
    "TextRow",
    "User",
    "UserSession",
    "utcnow",
]
