"""Saving and loading models in a format that is safe to read from untrusted files.

A model file is a zip archive holding `metadata.json` and NumPy `.npy` arrays read with
`allow_pickle=False`, so loading never runs code. Members are written in a fixed order with a
fixed timestamp: the same model always gives the same bytes. The score temperature is in the
metadata (a file without one, written before it existed, scores at 1). A gated model (`gating`)
adds its change (`delta.npy`, `shift.npy`) and its gate (`gate_weights.npy`; bias and temperature
in the metadata) and is written as version 2, which older readers refuse rather than misread.
"""

import io
import json
import zipfile
from pathlib import Path
from typing import Any

import numpy as np

from emolytics.engine.errors import ModelFileError
from emolytics.engine.features import FeatureSpec, Vectorizer
from emolytics.engine.gating import Gate, GatedModel
from emolytics.engine.model import LinearModel
from emolytics.engine.whole_files import written_whole

FORMAT = "emolytics-linear-model"
FORMAT_VERSION = 1
GATED_VERSION = 2
_ZIP_EPOCH = (1980, 1, 1, 0, 0, 0)
_MAX_MEMBER_BYTES = 512 * 1024 * 1024  # refuse zip bombs
_ARRAYS = {"terms": np.uint8, "idf": np.float32, "weights": np.float32, "intercept": np.float32}
_GATED_ARRAYS = {"delta": np.float32, "shift": np.float32, "gate_weights": np.float32}


def save_model(model: LinearModel, path: Path, details: dict[str, Any] | None = None) -> None:
    """Write `model` to `path`, whole or not at all; `details` (JSON-friendly: metrics,
    provenance) is kept as is."""
    metadata: dict[str, Any] = {
        "format": FORMAT,
        "version": FORMAT_VERSION,
        "labels": list(model.labels),
        "features": _spec_fields(model.vectorizer.spec),
        "score_temperature": model.score_temperature,
        "details": details or {},
    }
    terms = np.frombuffer("\n".join(model.vectorizer.terms).encode("utf-8"), dtype=np.uint8)
    arrays = {
        "terms": terms,
        "idf": model.vectorizer.idf,
        "weights": model.weights,
        "intercept": model.intercept,
    }
    if isinstance(model, GatedModel):
        metadata["version"] = GATED_VERSION
        metadata["gate"] = {"bias": model.gate.bias, "temperature": model.gate.temperature}
        arrays.update(delta=model.delta, shift=model.shift, gate_weights=model.gate.weights)
    with written_whole(path, "wb") as binary, zipfile.ZipFile(binary, "w") as archive:
        _write_member(archive, "metadata.json", json.dumps(metadata, indent=1).encode("utf-8"))
        for name, array in arrays.items():
            buffer = io.BytesIO()
            np.lib.format.write_array(buffer, np.ascontiguousarray(array), allow_pickle=False)
            _write_member(archive, f"{name}.npy", buffer.getvalue())


def load_model(path: Path) -> tuple[LinearModel, dict[str, Any]]:
    """Read a model file written by `save_model`; return the model and its metadata.

    Raises `ModelFileError` when the file is missing, unreadable or not a valid model.
    """
    try:
        with zipfile.ZipFile(path) as archive:
            metadata = _read_metadata(archive)
            kinds = {**_ARRAYS, **(_GATED_ARRAYS if "gate" in metadata else {})}
            arrays = {name: _read_array(archive, name, dtype) for name, dtype in kinds.items()}
    except FileNotFoundError as error:  # messages name no path: see read_labeled_csv
        raise ModelFileError("model file not found") from error
    except OSError as error:
        raise ModelFileError(f"not a readable model file ({error.strerror})") from error
    except (zipfile.BadZipFile, EOFError) as error:
        raise ModelFileError(f"not a readable model file ({error})") from error
    return _build_model(metadata, arrays), metadata


def _spec_fields(spec: FeatureSpec) -> dict[str, Any]:
    return {name: getattr(spec, name) for name in FeatureSpec.__slots__}


def _write_member(archive: zipfile.ZipFile, name: str, content: bytes) -> None:
    info = zipfile.ZipInfo(name, date_time=_ZIP_EPOCH)
    info.compress_type = zipfile.ZIP_DEFLATED
    info.external_attr = 0o644 << 16
    archive.writestr(info, content)


def _member(archive: zipfile.ZipFile, name: str) -> bytes:
    try:
        info = archive.getinfo(name)
    except KeyError as error:
        raise ModelFileError(f"model file has no {name}") from error
    if info.file_size > _MAX_MEMBER_BYTES:
        raise ModelFileError(f"model file member {name} is too large")
    return archive.read(info)


def _read_metadata(archive: zipfile.ZipFile) -> dict[str, Any]:
    try:
        metadata = json.loads(_member(archive, "metadata.json").decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise ModelFileError("model metadata is not valid JSON") from error
    if not isinstance(metadata, dict) or metadata.get("format") != FORMAT:
        raise ModelFileError("not an Emolytics model file")
    version = metadata.get("version")
    if version not in (FORMAT_VERSION, GATED_VERSION):
        raise ModelFileError(f"unsupported model format version {version!r}")
    if (version == GATED_VERSION) != ("gate" in metadata):
        raise ModelFileError("model metadata and version disagree about the gate")
    return metadata


def _read_array(archive: zipfile.ZipFile, name: str, dtype: type[np.generic]) -> np.ndarray:
    try:
        array = np.lib.format.read_array(
            io.BytesIO(_member(archive, f"{name}.npy")), allow_pickle=False
        )
    except ValueError as error:
        raise ModelFileError(f"model array {name} is unreadable ({error})") from error
    if array.dtype != dtype:
        raise ModelFileError(f"model array {name} has type {array.dtype}, expected {dtype}")
    if array.dtype.kind == "f" and not np.isfinite(array).all():
        raise ModelFileError(f"model array {name} holds non-finite numbers")
    return array


def _build_model(metadata: dict[str, Any], arrays: dict[str, np.ndarray]) -> LinearModel:
    labels = metadata.get("labels")
    if (
        not isinstance(labels, list)
        or len(labels) < 2
        or not all(isinstance(label, str) and label for label in labels)
    ):
        raise ModelFileError("model labels are missing or invalid")
    try:
        spec = FeatureSpec(**metadata["features"])
        terms = arrays["terms"].tobytes().decode("utf-8").split("\n")
        vectorizer = Vectorizer(spec, terms, arrays["idf"])
        temperature = float(metadata.get("score_temperature", 1.0))
        model = LinearModel(labels, vectorizer, arrays["weights"], arrays["intercept"], temperature)
        if "gate" not in metadata:
            return model
        gate = metadata["gate"]
        bias, temperature = float(gate["bias"]), float(gate["temperature"])
        if not (np.isfinite(bias) and np.isfinite(temperature)):
            raise ValueError("the gate's bias and temperature must be finite")
        gate = Gate(arrays["gate_weights"], bias, temperature)
        return GatedModel(model, arrays["delta"], arrays["shift"], gate)
    except (KeyError, TypeError, ValueError, UnicodeDecodeError) as error:
        raise ModelFileError(f"model contents are inconsistent ({error})") from error
