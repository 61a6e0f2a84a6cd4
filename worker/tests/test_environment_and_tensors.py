"""hello's environment without torch or a GPU, and dtype names/sizes without torch."""

from __future__ import annotations

import importlib.util
import logging
import platform
import unittest

from kforge_worker.environment import collect_environment, merge_nvidia_smi
from kforge_worker.errors import WorkerError
from kforge_worker.protocol import Environment
from kforge_worker.tensors import ELEMENT_BYTES, protocol_dtype, size_bytes

EMPTY = Environment(None, None, None, None, None, None, None, None, None, None, None, None)


class EnvironmentTests(unittest.TestCase):
    def test_collect_never_raises_and_knows_python(self) -> None:
        logger = logging.getLogger("kforge_worker")
        handler = logging.NullHandler()
        logger.addHandler(handler)
        self.addCleanup(logger.removeHandler, handler)
        environment = collect_environment()
        self.assertEqual(environment.python_version, platform.python_version())
        if importlib.util.find_spec("torch") is None:
            self.assertIsNone(environment.torch_version)
            self.assertIsNone(environment.torch_cuda_version)

    def test_nvidia_smi_line_fills_unknown_facts(self) -> None:
        facts = merge_nvidia_smi(EMPTY, "NVIDIA H100 80GB HBM3, 9.0, 580.159.04, 1980, 1980, 2619")
        self.assertEqual(facts.gpu_name, "NVIDIA H100 80GB HBM3")
        self.assertEqual(facts.compute_capability, "9.0")
        self.assertEqual(facts.driver_version, "580.159.04")
        self.assertEqual((facts.sm_clock_mhz, facts.max_sm_clock_mhz, facts.memory_clock_mhz), (1980, 1980, 2619))

    def test_nvidia_smi_unknowns_stay_null_and_known_facts_win(self) -> None:
        known = Environment("torch name", "9.0", None, None, None, None, 345, None, None, None, None, None)
        facts = merge_nvidia_smi(known, "other name, [N/A], 580.1, 1980, [N/A], N/A")
        self.assertEqual((facts.gpu_name, facts.sm_clock_mhz), ("torch name", 345))
        self.assertIsNone(facts.max_sm_clock_mhz)
        self.assertIsNone(facts.memory_clock_mhz)

    def test_malformed_nvidia_smi_line_changes_nothing(self) -> None:
        self.assertEqual(merge_nvidia_smi(EMPTY, "only, three, cells"), EMPTY)


class DtypeTests(unittest.TestCase):
    def test_protocol_names_match_core_data_types(self) -> None:
        # KernelForge.Core.DataTypes.ToProtocolName / ElementBytes
        self.assertEqual(ELEMENT_BYTES, {"float32": 4, "float64": 8, "float16": 2, "bfloat16": 2, "int32": 4,
                                         "int64": 8, "bool": 1, "int8": 1, "uint8": 1})
        self.assertEqual(protocol_dtype("torch.float32", "input0"), "float32")
        self.assertEqual(protocol_dtype("torch.bool", "input0"), "bool")

    def test_bfloat16_is_refused_clearly(self) -> None:
        with self.assertRaises(WorkerError) as caught:
            protocol_dtype("torch.bfloat16", "p.py: input input0")
        self.assertEqual(caught.exception.kind, "problem_invalid")
        self.assertIn("not supported yet", caught.exception.message)
        self.assertIn("input0", caught.exception.message)

    def test_unknown_dtypes_are_refused(self) -> None:
        with self.assertRaises(WorkerError):
            protocol_dtype("torch.complex64", "output0")

    def test_size_bytes(self) -> None:
        self.assertEqual(size_bytes((128, 1024), "float32"), 524288)
        self.assertEqual(size_bytes((), "float64"), 8)
        self.assertEqual(size_bytes((3, 0), "int64"), 0)


if __name__ == "__main__":
    unittest.main()
