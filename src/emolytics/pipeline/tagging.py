"""Tagging a dataset's texts again when its keywords change."""

from collections.abc import Callable

from sqlalchemy import delete, insert

from emolytics.extensions import db
from emolytics.pipeline import bulk, jobs
from emolytics.pipeline.chunks import text_chunks
from emolytics.pipeline.keywords import keyword_pattern, keywords_in, parse_keywords
from emolytics.pipeline.purge import hold
from emolytics.tables import Dataset, Job, TextKeyword


def change_keywords(dataset: Dataset, field: str) -> Job:
    """Track the keywords typed in `field` (ValueError if they cannot be used) and tag the
    texts again with them; the tagging job."""
    dataset.keywords = parse_keywords(field)
    db.session.commit()
    return jobs.start_tagging(dataset)


def retag(dataset: Dataset, on_progress: Callable[[int], None] | None = None) -> None:
    """Tag every text of `dataset` again with its current keywords (one transaction)."""
    hold(Dataset, dataset.id)  # the tags have no foreign key
    pattern = keyword_pattern(dataset.keywords)
    db.session.execute(delete(TextKeyword).where(TextKeyword.dataset_id == dataset.id))
    done = 0
    chunks = text_chunks(dataset.id, 0, bulk.BATCH) if pattern is not None else iter(())
    for chunk in chunks:
        tags = [
            {"dataset_id": dataset.id, "keyword": keyword, "text_id": text_id}
            for text_id, text in chunk
            for keyword in keywords_in(text, pattern)
        ]
        if tags:
            db.session.execute(insert(TextKeyword), tags)
        done += len(chunk)
        if on_progress is not None:
            on_progress(done)
    db.session.commit()
