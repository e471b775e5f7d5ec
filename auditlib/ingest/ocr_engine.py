"""The OCR engine of a process: RapidOCR's PP-OCR models run by OpenVINO (or onnxruntime where
OpenVINO cannot be imported), one per process and thread count, and the fork guard that keeps
a child forked after its parent ran the OCR from hanging on the runtimes' thread pools."""

from __future__ import annotations

import os
import threading
from functools import cache

import numpy as np

from auditlib.errors import ForkedProcessError

__all__ = ["PROCESS", "RUNTIMES", "Compiled", "Session", "engine", "line_image", "start"]


def engine(threads: int = 0, runtime: str | None = None):
    """The OCR engine of this process: RapidOCR's pre- and post-processing around its
    own PP-OCR models, run by `runtime` (`RUNTIMES`).  By default OpenVINO, which reads
    the very same characters as onnxruntime (tests/test_scans.py on a page, the bench
    on every line of a 40-page scan) in 0.61x the time (bench/bench_ocr.py);
    onnxruntime where OpenVINO cannot be imported.  `threads`: the cores it computes
    on, 0 for all (a worker process among several takes one)."""
    start()
    return _engine_of(threads, runtime or _default_runtime())


def line_image(crop: np.ndarray) -> tuple[np.ndarray, tuple[int, int, int, int]] | None:
    """A grey crop made into what the recogniser expects, a text line as detection crops it:
    tightened to its ink and given a white margin of a third of the text's height (an
    isolated "1" in a wide cell is read as 配 otherwise, and "1,530.79" as "1,5079").  With
    the ink's bounds in the crop (x0, y0, x1, y1); None for a crop without ink."""
    ys, xs = np.nonzero(crop < 128)
    if not len(ys):
        return None
    x0, y0, x1, y1 = int(xs.min()), int(ys.min()), int(xs.max()) + 1, int(ys.max()) + 1
    line = np.pad(crop[y0:y1, x0:x1], max(3, int(0.35 * (y1 - y0))), constant_values=255)
    return np.dstack([line] * 3), (x0, y0, x1, y1)


# Fork safety (issue 24).  Both runtimes (and OpenCV) compute in thread pools of their own.
# A child forked from a process whose pools had started inherits their locks but none of
# their threads: its first inference (or the teardown of what the parent built) can wait
# for ever on a futex, deaf to SIGTERM; this was seen on onnxruntime as well as OpenVINO,
# so no runtime is safe to rebuild there.  Such a child is refused at once, in one line
# (`errors.ForkedProcessError`); a child forked before any OCR ran builds its own engine.
# The project itself never forks: loky's page workers are exec'd ("loky"), Dask's workers
# spawned (batch/pools.py), papermill's kernels and the tests' children exec'd or spawned
# (one test forks on purpose, to see the refusal).
PROCESS = {"ocr_started": False, "forked_after_ocr": False}


def _after_fork_in_child() -> None:
    PROCESS["forked_after_ocr"] |= PROCESS["ocr_started"]


os.register_at_fork(after_in_child=_after_fork_in_child)


def start(path: object = "OCR") -> None:
    """Mark that this process runs the OCR (its runtimes start threads from here on),
    unless it is a child forked after its parent did: then refuse, naming `path`."""
    if PROCESS["forked_after_ocr"]:
        raise ForkedProcessError(path)
    PROCESS["ocr_started"] = True


def _default_runtime() -> str:
    try:
        import openvino  # noqa: F401
    except ImportError as exc:
        import warnings

        warnings.warn(f"OCR 改用 onnxruntime 运行（无法导入 OpenVINO：{exc}）", stacklevel=3)
        return "onnxruntime"
    return "openvino"


@cache
def _engine_of(threads: int, runtime: str):
    """One engine per process, threads and runtime, kept for good."""
    from rapidocr_onnxruntime import RapidOCR

    model = RUNTIMES[runtime]
    engine = RapidOCR()
    try:  # RapidOCR's own layout (pinned in pyproject); another one keeps its stock sessions
        from rapidocr_onnxruntime.main import DEFAULT_CFG_PATH, read_yaml, update_model_path

        models = update_model_path(read_yaml(DEFAULT_CFG_PATH))
        engine.text_det.infer = model(models["Det"]["model_path"], threads, transient=True)
        engine.text_rec.session = model(models["Rec"]["model_path"], threads)
        _fast_det_normalize(engine.text_det)
    except (AttributeError, KeyError) as exc:
        import warnings

        warnings.warn(f"OCR 引擎按 RapidOCR 默认设置运行（{type(exc).__name__}: {exc}）", stacklevel=2)
    return engine


class Compiled:
    """An ONNX model compiled by OpenVINO for the CPU, called as RapidOCR calls its
    `OrtInferSession`: `model(batch)` is the list of its outputs.

    Inference in float32 (on a CPU that has bf16 OpenVINO would use it, and read other
    characters); threads not pinned to cores (the worker processes of a batch would
    all pin theirs to the same first cores); one request, one call at a time (a request
    is not thread-safe, and `release_memory` fails while any request of the model
    runs; with the latency hint calls run one after the other anyway).  Memory stays
    bounded on a long scan (bench/bench_ocr.py: about 1.1 GB for 40 pages, onnxruntime
    1.0 GB): a `transient` model (detection, once a page) gives back its ~0.3 GB of
    intermediate tensors after each call, at no cost in time; recognition keeps
    kernels for the 20 latest input shapes (OpenVINO's default keeps 5000: 0.6 GB more
    on 40 pages, no faster)."""

    def __init__(self, path: str, threads: int, transient: bool = False) -> None:
        config = {"INFERENCE_PRECISION_HINT": "f32", "PERFORMANCE_HINT": "LATENCY", "ENABLE_CPU_PINNING": False,
                  "CPU_RUNTIME_CACHE_CAPACITY": 20}
        if threads:
            config["INFERENCE_NUM_THREADS"] = threads
        self.model = _openvino().compile_model(str(path), "CPU", config)
        self.request = self.model.create_infer_request()
        self.transient = transient
        self._one_at_a_time = threading.Lock()

    def __call__(self, batch: np.ndarray) -> list[np.ndarray]:
        with self._one_at_a_time:
            outputs = list(self.request.infer({0: batch}, share_inputs=True).values())  # copies, not views
            if self.transient:
                self.model.release_memory()
        return outputs


class Session:
    """The same model as an onnxruntime session, called as `Compiled`: the runtime where
    OpenVINO cannot be imported, and the reference the bench and the tests hold OpenVINO to.  Threads do not spin (they would take the cores the rest of the
    work needs); a `transient` model keeps no memory arena (one full-page call per page:
    an arena would hold ~0.5 GB for nothing), recognition keeps one (RapidOCR turns it
    off, and every batch of wide prose lines would map and fault fresh memory)."""

    def __init__(self, path: str, threads: int, transient: bool = False) -> None:
        import onnxruntime as ort

        opts = ort.SessionOptions()
        opts.log_severity_level = 4
        opts.enable_cpu_mem_arena = not transient
        opts.add_session_config_entry("session.intra_op.allow_spinning", "0")
        if threads:
            opts.intra_op_num_threads = threads
        cpu = ("CPUExecutionProvider", {"arena_extend_strategy": "kSameAsRequested"})  # grow by what is asked
        self.session = ort.InferenceSession(str(path), sess_options=opts, providers=[cpu])
        self.input = self.session.get_inputs()[0].name

    def __call__(self, batch: np.ndarray) -> list[np.ndarray]:
        return self.session.run(None, {self.input: batch})


RUNTIMES = {"openvino": Compiled, "onnxruntime": Session}


@cache
def _openvino():
    import openvino

    return openvino.Core()


def _fast_det_normalize(text_det) -> None:
    """Detection's input scaled through a 256-entry table of the values RapidOCR computes
    (its own normalisation works in float64 over the whole page: 0.18 s a page, 7 % of
    reading a scan, for the very same float32 values)."""
    from rapidocr_onnxruntime.ch_ppocr_det.utils import DetPreProcess

    stock = text_det.get_preprocess

    class _TablePreProcess(DetPreProcess):
        def normalize(self, img: np.ndarray) -> np.ndarray:
            import cv2

            levels = np.repeat(np.arange(256, dtype=np.uint8)[:, None, None], img.shape[2], axis=2)
            return cv2.LUT(img, super().normalize(levels).astype(np.float32))  # a row per grey level, a channel each

    def preprocess(max_wh: int) -> DetPreProcess:
        pre = stock(max_wh)
        return _TablePreProcess(pre.limit_side_len, pre.limit_type, pre.mean, pre.std)

    text_det.get_preprocess = preprocess
