"""Typed tables. Import from here: `from emolytics.tables import User`."""

from emolytics.tables.alert import (
    Alert,
    AlertDelivery,
    AlertRule,
    DeliveryStatus,
    DigestSubscription,
)
from emolytics.tables.annotation import Annotation
from emolytics.tables.audit import AuditEvent, PeriodicRun
from emolytics.tables.correction import Correction, CorrectionSource, ReviewHold
from emolytics.tables.dataset import LIVE_SOURCE, Dataset, DatasetFile, TextKeyword, TextRow
from emolytics.tables.emotion_model import EmotionModel
from emolytics.tables.idempotency import IdempotencyKey
from emolytics.tables.invitation import Invitation
from emolytics.tables.job import (
    FINISHED,
    NOT_SCORED,
    Job,
    JobCount,
    JobKind,
    JobPart,
    JobPoint,
    JobStatus,
    JobTerm,
    Result,
)
from emolytics.tables.saved_view import SavedView
from emolytics.tables.second_factor import Passkey, RecoveryCode, TotpSecret
from emolytics.tables.subscription import Subscription, SubscriptionEntry
from emolytics.tables.team import Membership, Role, Team
from emolytics.tables.user import (
    ApiToken,
    LoginEvent,
    SessionAddress,
    User,
    UserSession,
    utcnow,
)

__all__ = [
    "FINISHED",
    "LIVE_SOURCE",
    "NOT_SCORED",
    "Alert",
    "AlertDelivery",
    "AlertRule",
    "Annotation",
    "ApiToken",
    "AuditEvent",
    "Correction",
    "CorrectionSource",
    "Dataset",
    "DatasetFile",
    "DeliveryStatus",
    "DigestSubscription",
    "EmotionModel",
    "IdempotencyKey",
    "Invitation",
    "Job",
    "JobCount",
    "JobKind",
    "JobPart",
    "JobPoint",
    "JobStatus",
    "JobTerm",
    "LoginEvent",
    "Membership",
    "Passkey",
    "PeriodicRun",
    "RecoveryCode",
    "Result",
    "ReviewHold",
    "Role",
    "SavedView",
    "Subscription",
    "SubscriptionEntry",
    "SessionAddress",
    "Team",
    "TextKeyword",
    "TextRow",
    "TotpSecret",
    "User",
    "UserSession",
    "utcnow",
]
