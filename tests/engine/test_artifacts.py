import io
import json
import zipfile
from pathlib import Path

import numpy as np
import pytest

from emolytics.engine import ModelFileError, artifacts, load_analyzer
from emolytics.engine.analyzer import default_model_path
from emolytics.engine.artifacts import load_model, save_model
from emolytics.engine.gating import Gate, GatedModel
from emolytics.engine.model import LinearModel
from emolytics.engine.text import tokenize
from emolytics.engine.training import TrainingReport

TEXTS = ["I love it, thank you", "it arrived broken!!", "where is my order?", "", "ok 😡"]


def test_trained_model_round_trip(trained: TrainingReport, tmp_path: Path) -> None:
    path = tmp_path / "model.zip"
    save_model(trained.model, path, {"note": "fixture"})
    loaded = load_analyzer(path)
    assert loaded.labels == ("complaint", "praise", "question")
    assert loaded.analyze(TEXTS, explain=True) == trained.model.analyze(TEXTS, explain=True)
    assert [result.label for result in loaded.analyze(TEXTS[:3])] == [
        "praise", "complaint", "question",
    ]  # fmt: skip
    _, metadata = load_model(path)
    assert metadata["details"] == {"note": "fixture"}


def test_saving_is_deterministic(trained: TrainingReport, tmp_path: Path) -> None:
    first, second = tmp_path / "first.zip", tmp_path / "second.zip"
    save_model(trained.model, first)
    save_model(trained.model, second)
    assert first.read_bytes() == second.read_bytes()


def test_default_model_ships_small_with_its_notice() -> None:
    path = default_model_path()
    assert path.stat().st_size < 8_000_000
    notice = (path.parent / "NOTICE.md").read_text(encoding="utf-8")
    for required in ("Demszky", "CC BY 4.0", "Google LLC", "VADER", "MIT"):
        assert required in notice


def _rewrite(source: Path, target: Path, replace: dict[str, bytes | None]) -> None:
    """Copy a model file, replacing (bytes) or dropping (None) some members."""
    with zipfile.ZipFile(source) as original, zipfile.ZipFile(target, "w") as copy:
        for name in original.namelist():
            content = replace.get(name, original.read(name))
            if content is not None:
                copy.writestr(name, content)


def _npy(array: np.ndarray) -> bytes:
    buffer = io.BytesIO()
    np.lib.format.write_array(buffer, array, allow_pickle=True)
    return buffer.getvalue()


@pytest.fixture
def model_file(trained: TrainingReport, tmp_path: Path) -> Path:
    path = tmp_path / "good.zip"
    save_model(trained.model, path)
    return path


def test_corrupt_files_raise_a_clear_error(model_file: Path, tmp_path: Path) -> None:
    truncated = tmp_path / "truncated.zip"
    truncated.write_bytes(model_file.read_bytes()[:-200])
    garbage = tmp_path / "garbage.zip"
    garbage.write_bytes(b"\x00not a model at all" * 10)
    for path, message in [
        (truncated, "not a readable model file"),
        (garbage, "not a readable model file"),
        (tmp_path / "missing.zip", "model file not found"),
    ]:
        with pytest.raises(ModelFileError, match=message):
            load_analyzer(path)


@pytest.mark.parametrize(
    ("member", "content", "message"),
    [
        ("weights.npy", None, "has no weights.npy"),
        ("metadata.json", b"{not json", "not valid JSON"),
        ("metadata.json", json.dumps({"format": "other"}).encode(), "not an Emolytics model"),
        ("idf.npy", _npy(np.array([{"evil": "pickle"}], dtype=object)), "unreadable"),
        ("idf.npy", _npy(np.zeros(3, dtype=np.float64)), "has type float64"),
        ("intercept.npy", _npy(np.array([np.nan, 0, 0], dtype=np.float32)), "non-finite"),
        ("intercept.npy", _npy(np.zeros(5, dtype=np.float32)), "inconsistent"),
    ],
)
def test_tampered_members_raise_a_clear_error(
    model_file: Path, tmp_path: Path, member: str, content: bytes | None, message: str
) -> None:
    tampered = tmp_path / "tampered.zip"
    _rewrite(model_file, tampered, {member: content})
    with pytest.raises(ModelFileError, match=message):
        load_analyzer(tampered)


def test_tampered_feature_settings_raise_a_clear_error(model_file: Path, tmp_path: Path) -> None:
    with zipfile.ZipFile(model_file) as archive:
        metadata = json.loads(archive.read("metadata.json"))
    metadata["features"]["char_max"] = "5; rm -rf /"
    tampered = tmp_path / "tampered.zip"
    _rewrite(model_file, tampered, {"metadata.json": json.dumps(metadata).encode()})
    with pytest.raises(ModelFileError, match="inconsistent"):
        load_analyzer(tampered)


def test_the_score_temperature_is_kept_and_older_files_score_at_one(
    trained: TrainingReport, tmp_path: Path
) -> None:
    plain = trained.model
    tempered = LinearModel(plain.labels, plain.vectorizer, plain.weights, plain.intercept, 2.0)
    path, older = tmp_path / "tempered.zip", tmp_path / "older.zip"
    save_model(tempered, path)
    loaded, metadata = load_model(path)
    assert metadata["score_temperature"] == loaded.score_temperature == 2.0
    forms = [tokenize(text).forms for text in TEXTS]
    assert np.array_equal(loaded.probabilities(forms), tempered.probabilities(forms))
    del metadata["score_temperature"]
    _rewrite(path, older, {"metadata.json": json.dumps(metadata).encode()})
    loaded, _ = load_model(older)
    assert loaded.score_temperature == 1.0
    assert np.array_equal(loaded.probabilities(forms), plain.probabilities(forms))


@pytest.mark.parametrize("temperature", ["hot", None, 0, -1.0, 1e6, "NaN"])
def test_a_tampered_score_temperature_raises_a_clear_error(
    model_file: Path, tmp_path: Path, temperature: object
) -> None:
    with zipfile.ZipFile(model_file) as archive:
        metadata = json.loads(archive.read("metadata.json"))
    metadata["score_temperature"] = temperature
    tampered = tmp_path / "tampered.zip"
    _rewrite(model_file, tampered, {"metadata.json": json.dumps(metadata).encode()})
    with pytest.raises(ModelFileError, match="inconsistent"):
        load_analyzer(tampered)


@pytest.fixture
def gated(trained: TrainingReport) -> GatedModel:
    """The trained model with a random change, let through by a random gate."""
    base = trained.model
    generator = np.random.default_rng(0)
    delta = generator.normal(size=base.weights.shape)
    shift = generator.normal(size=base.intercept.shape)
    gate = Gate(generator.normal(size=base.vectorizer.size).astype(np.float32), 0.3, 0.5)
    return GatedModel(base, delta, shift, gate)


def test_gated_model_round_trip(gated: GatedModel, trained: TrainingReport, tmp_path) -> None:
    path = tmp_path / "gated.zip"
    save_model(gated, path, {"note": "gated"})
    loaded, metadata = load_model(path)
    assert isinstance(loaded, GatedModel)
    assert metadata["version"] == 2
    assert metadata["gate"] == {"bias": 0.3, "temperature": 0.5}
    forms = [tokenize(text).forms for text in TEXTS]
    assert np.array_equal(loaded.probabilities(forms), gated.probabilities(forms))
    assert not np.allclose(loaded.probabilities(forms), trained.model.probabilities(forms))
    assert [r.label for r in loaded.analyze(TEXTS)] == [r.label for r in gated.analyze(TEXTS)]


@pytest.mark.parametrize(
    ("member", "change", "message"),
    [
        ("delta.npy", None, "has no delta.npy"),
        ("metadata.json", {"version": 1}, "disagree about the gate"),
        ("metadata.json", {"gate": {"bias": "nan", "temperature": 1.0}}, "inconsistent"),
        ("metadata.json", {"gate": {"bias": 0.0, "temperature": 0.0}}, "inconsistent"),
    ],
)
def test_tampered_gated_files_raise_a_clear_error(
    gated: GatedModel, tmp_path: Path, member: str, change: dict | None, message: str
) -> None:
    path = tmp_path / "gated.zip"
    save_model(gated, path)
    content = None
    if change is not None:
        with zipfile.ZipFile(path) as archive:
            metadata = json.loads(archive.read("metadata.json"))
        content = json.dumps({**metadata, **change}).encode()
    tampered = tmp_path / "tampered.zip"
    _rewrite(path, tampered, {member: content})
    with pytest.raises(ModelFileError, match=message):
        load_analyzer(tampered)


def test_a_model_is_written_whole_or_not_at_all(
    trained: TrainingReport, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "model.zip"
    save_model(trained.model, path)
    before = path.read_bytes()

    def full_disk(archive: zipfile.ZipFile, name: str, data: bytes) -> None:
        if name != "metadata.json":
            raise OSError(28, "No space left on device")
        archive.writestr(name, data)

    monkeypatch.setattr(artifacts, "_write_member", full_disk)
    with pytest.raises(OSError, match="No space left"):
        save_model(trained.model, path, {"new": True})
    assert path.read_bytes() == before  # the model there before is untouched
    assert sorted(file.name for file in tmp_path.iterdir()) == ["model.zip"]  # nothing partial
    monkeypatch.undo()
    with pytest.raises(OSError):
        save_model(trained.model, tmp_path / "missing" / "model.zip")
    assert not (tmp_path / "missing").exists()
