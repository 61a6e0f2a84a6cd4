"""check_device.compare_on_device must agree with check.compare_arrays element for element. Here torch runs on the
CPU device, and chunks of a few elements force the cross-chunk logic (floor, worst element, sums) on small arrays."""

from __future__ import annotations

import importlib.util
import math
import unittest

from kforge_worker.check import TOLERANCES

HAS_TORCH = importlib.util.find_spec("torch") is not None and importlib.util.find_spec("numpy") is not None
STRICT, TF32, KERNELBENCH = TOLERANCES["strict"], TOLERANCES["tf32"], TOLERANCES["kernelbench"]


@unittest.skipUnless(HAS_TORCH, "torch is not installed; the device path runs on the GPU host")
class DeviceParityTests(unittest.TestCase):
    def assert_same(self, candidate, reference, tolerance, e32, chunk_elements) -> None:
        import torch

        from kforge_worker.check import compare_arrays
        from kforge_worker.check_device import compare_on_device
        expected = compare_arrays(candidate, reference, tolerance, e32)
        actual = compare_on_device(torch, candidate, reference, tolerance, e32, "cpu", chunk_elements=chunk_elements)
        self.assertEqual(actual.violations, expected.violations)
        self.assertEqual(actual.worst_index, expected.worst_index)
        self.assertEqual(actual.non_finite_elements, expected.non_finite_elements)
        for field in ("max_abs_error", "max_rel_error", "allowed_max_abs_error", "worst_value", "worst_expected",
                      "worst_allowed"):
            got, want = getattr(actual, field), getattr(expected, field)
            if not (isinstance(want, float) and math.isnan(want) and isinstance(got, float) and math.isnan(got)):
                self.assertEqual(got, want, field)
        self.assertTrue(math.isclose(actual.rel_l2_error, expected.rel_l2_error, rel_tol=1e-12)
                        or actual.rel_l2_error == expected.rel_l2_error)

    def test_agrees_with_numpy_on_handmade_cases(self) -> None:
        import numpy as np
        cases = [
            ([1.0, 2.5, 3.2, math.nan, 0.0], [1.0, 2.0, 3.0, 4.0, 0.0], KERNELBENCH, 0.0),
            ([1.0 + 2e-5, 0.5, -0.25], [1.0, 0.5, -0.25], STRICT, 1e-6),
            ([math.nan, math.inf, 1.0], [math.nan, math.inf, -math.inf], STRICT, 0.0),
            ([1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0], [1.0, 2.1, 3.0, 4.0, 5.1, 6.0, 7.0], TF32, 0.0),  # a tie in excess
            ([], [], STRICT, 0.0),
        ]
        for candidate, reference, tolerance, e32 in cases:
            for chunk in (2, 3, 1 << 20):
                with self.subTest(candidate=candidate, chunk=chunk):
                    self.assert_same(np.array(candidate, dtype=np.float32), np.array(reference, dtype=np.float64),
                                     tolerance, e32, chunk)

    def test_agrees_with_numpy_on_random_outputs_with_planted_errors(self) -> None:
        import numpy as np
        rng = np.random.default_rng(7)
        for tolerance in (STRICT, TF32, KERNELBENCH):
            reference = rng.standard_normal(1000) * 3.0
            candidate = reference.astype(np.float32)
            candidate[[17, 400, 401, 999]] += np.float32(0.05)
            candidate[123] = np.nan
            reference[555] = np.inf
            candidate[555] = np.inf
            with self.subTest(tolerance=tolerance):
                self.assert_same(candidate, reference, tolerance, 1e-7, 64)
                self.assert_same(candidate.reshape(10, 100), reference.reshape(10, 100), tolerance, 1e-7, 128)

    def test_integer_outputs_compare_as_numbers(self) -> None:
        import numpy as np
        self.assert_same(np.array([3, 1, 4, 1, 5], dtype=np.int64), np.array([3, 1, 4, 2, 5], dtype=np.int64),
                         STRICT, 0.0, 2)

    def test_float32_error_matches_the_host_path(self) -> None:
        import numpy as np
        import torch

        from kforge_worker.check import max_abs_difference
        from kforge_worker.check_device import max_abs_difference_on_device
        out64 = torch.randn(1001, dtype=torch.float64)
        out32 = out64.float()
        out32[5] = math.nan
        expected = max_abs_difference(out32.numpy(), out64.numpy())
        self.assertEqual(max_abs_difference_on_device(torch, out32, out64, chunk_elements=100), expected)
        self.assertGreater(expected, 0.0)


if __name__ == "__main__":
    unittest.main()
