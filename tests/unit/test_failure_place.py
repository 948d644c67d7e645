"""The place a failure names (store.errors.scrubbed_detail) is the innermost frame, however deep the call, in
the worker's process or in the engine's child process."""

from __future__ import annotations

import concurrent.futures
import multiprocessing

import pytest

from store.errors import scrubbed_detail


def _read(payload: dict[str, str]) -> str:
    return payload["urgency"]


def _assess(payload: dict[str, str]) -> str:
    return _read(payload).upper()


def test_a_local_failure_names_the_innermost_frame() -> None:
    def run() -> str:
        return _assess({"patient": "Jane Doe"})

    with pytest.raises(KeyError) as raised:
        run()
    line = _read.__code__.co_firstlineno + 1
    assert scrubbed_detail(raised.value) == f"KeyError at test_failure_place.py:{line} in _read"


def test_a_failure_in_the_engines_process_names_its_innermost_frame() -> None:
    with concurrent.futures.ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("spawn")) as pool:
        future = pool.submit(_assess, {"patient": "Jane Doe"})
        with pytest.raises(KeyError) as raised:
            future.result()
    line = _read.__code__.co_firstlineno + 1
    assert scrubbed_detail(raised.value) == f"KeyError at test_failure_place.py:{line} in _read"
