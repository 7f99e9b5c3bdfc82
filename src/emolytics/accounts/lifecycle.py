"""An account's standing: turned off and on (CLI), or deleted with everything it owns."""

from sqlalchemy import delete, select

from emolytics.accounts.cached import revoke_everything_of
from emolytics.accounts.errors import WrongPassword
from emolytics.accounts.sessions import end_other_sessions
from emolytics.extensions import db
from emolytics.pipeline import jobs, purge
from emolytics.tables import Dataset, LoginEvent, User


def set_active(user: User, active: bool) -> None:
    user.active = active
    if not active:
        revoke_everything_of(user)
        end_other_sessions(user, keep=None)
    db.session.commit()


def delete_account(user: User, password: str) -> None:
    """Remove `user` and everything they own once `password` confirms it (WrongPassword if
    not): queued work first, then the rows."""
    if not user.check_password(password):
        raise WrongPassword("The password is not correct.")
    jobs.forget_owner(user.id)
    remove_account(user)


def remove_account(user: User) -> None:
    """Remove `user` and everything they own (datasets, texts, results, jobs, models...);
    their queued work is already forgotten (`jobs.forget_owner`)."""
    revoke_everything_of(user)
    purge.lock_for_removal(User, [user.id])  # no new dataset can be theirs from here on
    purge.remove_datasets(
        list(db.session.scalars(select(Dataset.id).where(Dataset.owner_id == user.id)))
    )
    db.session.execute(delete(LoginEvent).where(LoginEvent.user_id == user.id))
    db.session.delete(user)
    db.session.commit()
