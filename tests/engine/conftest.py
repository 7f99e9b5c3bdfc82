from pathlib import Path

import pytest
from click.testing import CliRunner

from emolytics.engine import load_analyzer
from emolytics.engine.model import LinearModel
from emolytics.engine.training import TrainingReport, read_labeled_csv, train

FIXTURES = Path(__file__).parent / "fixtures"


@pytest.fixture(scope="session")
def analyzer() -> LinearModel:
    return load_analyzer()


@pytest.fixture(scope="session")
def labeled_csv() -> Path:
    return FIXTURES / "labeled.csv"


@pytest.fixture(scope="session")
def trained(labeled_csv: Path) -> TrainingReport:
    texts, labels = read_labeled_csv(labeled_csv)
    return train(texts, labels)


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()
