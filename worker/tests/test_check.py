"""Policy math and poison detection over plain Python values (numpy parity where numpy is installed)."""

from __future__ import annotations

import importlib.util
import math
import os
import struct
import tempfile
import unittest

from kforge_worker.check import (POISON_BITS, TOLERANCES, compare_values, count_poisoned, element_bits, unravel)

HAS_NUMPY = importlib.util.find_spec("numpy") is not None
STRICT, TF32, KERNELBENCH = TOLERANCES["strict"], TOLERANCES["tf32"], TOLERANCES["kernelbench"]


def bits_of(fmt: str, values: list[float]) -> bytes:
    return struct.pack("<" + fmt * len(values), *values)


class ToleranceTableTests(unittest.TestCase):
    def test_table_holds_exactly_the_three_policies(self) -> None:
        self.assertEqual(set(TOLERANCES), {"strict", "tf32", "kernelbench"})

    def test_strict_bound_is_ten_e32_floored_at_a_millionth_of_the_largest_reference(self) -> None:
        floor = STRICT.floor(float32_error=1e-6, max_abs_reference=2.0)
        self.assertAlmostEqual(floor, 1e-5)
        self.assertAlmostEqual(STRICT.allowed(100.0, floor), 1e-5)  # no per-element relative term
        self.assertAlmostEqual(STRICT.floor(float32_error=0.0, max_abs_reference=50.0), 5e-5)

    def test_tf32_and_kernelbench_are_atol_plus_rtol(self) -> None:
        self.assertAlmostEqual(TF32.allowed(2.0, TF32.floor(1.0, 1e9)), 1e-3 + 2e-3)
        self.assertAlmostEqual(KERNELBENCH.allowed(3.0, KERNELBENCH.floor(1.0, 1e9)), 1e-2 + 3e-2)


class CompareValuesTests(unittest.TestCase):
    def test_exact_match_passes_with_zero_errors(self) -> None:
        result = compare_values([1.0, -2.0, 0.0], [1.0, -2.0, 0.0], STRICT, 1e-7)
        self.assertEqual((result.violations, result.max_abs_error, result.rel_l2_error), (0, 0.0, 0.0))
        self.assertIsNone(result.worst_index)

    def test_strict_passes_within_ten_e32_and_fails_just_above(self) -> None:
        reference = [1.0, 0.5, -0.25]
        inside = compare_values([1.0 + 9.9e-6, 0.5, -0.25], reference, STRICT, float32_error=1e-6)
        self.assertEqual(inside.violations, 0)
        self.assertAlmostEqual(inside.allowed_max_abs_error, 1e-5)
        outside = compare_values([1.0, 0.5 + 1.1e-5, -0.25], reference, STRICT, float32_error=1e-6)
        self.assertEqual(outside.violations, 1)
        self.assertEqual(outside.worst_index, 1)
        self.assertAlmostEqual(outside.worst_allowed, 1e-5)
        self.assertAlmostEqual(outside.max_abs_error, 1.1e-5, places=12)

    def test_strict_catches_a_tf32_sized_error_that_tf32_accepts(self) -> None:
        reference = [10.0, 20.0, 30.0]
        candidate = [10.0 + 5e-3, 20.0, 30.0]
        self.assertEqual(compare_values(candidate, reference, STRICT, float32_error=2e-6).violations, 1)
        self.assertEqual(compare_values(candidate, reference, TF32, float32_error=2e-6).violations, 0)

    def test_relative_term_scales_per_element(self) -> None:
        reference = [100.0, 0.0]
        self.assertEqual(compare_values([100.9, 0.0], reference, KERNELBENCH, 0.0).violations, 0)
        self.assertEqual(compare_values([100.0, 0.011], reference, KERNELBENCH, 0.0).violations, 1)
        self.assertAlmostEqual(compare_values([100.0, 0.0], reference, KERNELBENCH, 0.0).allowed_max_abs_error,
                               1e-2 + 1e-2 * 100.0)

    def test_metrics(self) -> None:
        result = compare_values([3.0, 4.5], [3.0, 4.0], KERNELBENCH, 0.0)
        self.assertAlmostEqual(result.max_abs_error, 0.5)
        self.assertAlmostEqual(result.max_rel_error, 0.125)
        self.assertAlmostEqual(result.rel_l2_error, 0.5 / 5.0)

    def test_relative_error_near_zero_reference_is_bounded(self) -> None:
        result = compare_values([1e-3], [0.0], KERNELBENCH, 0.0)
        self.assertAlmostEqual(result.max_rel_error, 1e-3 / 1e-6)

    def test_zero_reference_norm(self) -> None:
        self.assertEqual(compare_values([0.0, 0.0], [0.0, 0.0], STRICT, 0.0).rel_l2_error, 0.0)
        self.assertEqual(compare_values([1.0, 0.0], [0.0, 0.0], STRICT, 0.0).rel_l2_error, math.inf)

    def test_nan_or_inf_where_reference_is_finite_is_counted_and_worst(self) -> None:
        result = compare_values([1.0, math.nan, 3.5, math.inf], [1.0, 2.0, 3.0, 4.0], KERNELBENCH, 0.0)
        self.assertEqual(result.non_finite_elements, 2)
        self.assertEqual(result.violations, 3)
        self.assertEqual(result.worst_index, 1)
        self.assertAlmostEqual(result.max_abs_error, 0.5)  # metrics over elements finite in both

    def test_non_finite_reference_must_be_matched_exactly(self) -> None:
        reference = [math.nan, math.inf, -math.inf]
        self.assertEqual(compare_values([math.nan, math.inf, -math.inf], reference, STRICT, 0.0).violations, 0)
        result = compare_values([0.0, math.inf, math.inf], reference, STRICT, 0.0)
        self.assertEqual((result.violations, result.non_finite_elements, result.worst_index), (2, 0, 0))
        self.assertIsNone(result.worst_allowed)

    def test_worst_is_the_largest_excess(self) -> None:
        result = compare_values([1.1, 2.5, 3.2], [1.0, 2.0, 3.0], KERNELBENCH, 0.0)
        self.assertEqual((result.violations, result.worst_index), (3, 1))
        self.assertEqual((result.worst_value, result.worst_expected), (2.5, 2.0))

    def test_lengths_must_match(self) -> None:
        with self.assertRaises(ValueError):
            compare_values([1.0], [1.0, 2.0], STRICT, 0.0)


class PoisonTests(unittest.TestCase):
    def test_patterns_match_the_runner(self) -> None:
        self.assertEqual(POISON_BITS["float32"], 0x7FC0DEAD)
        self.assertEqual(POISON_BITS["float64"], 0x7FF8DEADDEADDEAD)
        self.assertEqual(POISON_BITS["float16"], 0x7E5E)
        for dtype, size in (("int32", 4), ("int64", 8), ("int8", 1), ("uint8", 1), ("bool", 1)):
            self.assertEqual(POISON_BITS[dtype], int.from_bytes(b"\x5a" * size, "little"))

    def test_float32_poison_is_found_among_ordinary_nans(self) -> None:
        raw = bits_of("f", [1.0, math.nan, 2.0, 3.0]) + struct.pack("<I", 0x7FC0DEAD) * 2
        reference = element_bits(bits_of("f", [1.0, 5.0, 2.0, 3.0, 4.0, 6.0]), 4)
        self.assertEqual(count_poisoned(element_bits(raw, 4), reference, POISON_BITS["float32"]), 2)

    def test_float64_and_float16_poison(self) -> None:
        raw64 = struct.pack("<Q", 0x7FF8DEADDEADDEAD) + bits_of("d", [0.5])
        self.assertEqual(count_poisoned(element_bits(raw64, 8), [0, 0], POISON_BITS["float64"]), 1)
        raw16 = struct.pack("<HHH", 0x7E5E, 0x3C00, 0x7E5E)
        self.assertEqual(count_poisoned(element_bits(raw16, 2), [0x3C00] * 3, POISON_BITS["float16"]), 2)

    def test_integer_value_equal_to_the_pattern_is_not_poison_when_expected(self) -> None:
        raw = struct.pack("<iii", 0x5A5A5A5A, 7, 0x5A5A5A5A)
        expected = element_bits(struct.pack("<iii", 0x5A5A5A5A, 7, 9), 4)
        self.assertEqual(count_poisoned(element_bits(raw, 4), expected, POISON_BITS["int32"]), 1)

    def test_clean_output_has_no_poison(self) -> None:
        raw = bits_of("f", [0.0, -1.0, math.inf])
        self.assertEqual(count_poisoned(element_bits(raw, 4), [0, 0, 0], POISON_BITS["float32"]), 0)


class UnravelTests(unittest.TestCase):
    def test_c_order(self) -> None:
        self.assertEqual(unravel(5, [2, 3]), [1, 2])
        self.assertEqual(unravel(23, [2, 3, 4]), [1, 2, 3])
        self.assertEqual(unravel(0, []), [])


@unittest.skipUnless(HAS_NUMPY, "numpy is not installed; the numpy path runs on the GPU host")
class NumpyParityTests(unittest.TestCase):
    def test_arrays_and_sequences_agree(self) -> None:
        import numpy as np

        from kforge_worker.check import compare_arrays, count_poisoned_array
        cases = [
            ([1.0, 2.5, 3.2, math.nan, 0.0], [1.0, 2.0, 3.0, 4.0, 0.0], KERNELBENCH, 0.0),
            ([1.0 + 2e-5, 0.5, -0.25], [1.0, 0.5, -0.25], STRICT, 1e-6),
            ([math.nan, math.inf, 1.0], [math.nan, math.inf, -math.inf], STRICT, 0.0),
            ([], [], STRICT, 0.0),
        ]
        for candidate, reference, tolerance, e32 in cases:
            with self.subTest(candidate=candidate):
                expected = compare_values(candidate, reference, tolerance, e32)
                actual = compare_arrays(np.array(candidate, dtype=np.float32), np.array(reference), tolerance, e32)
                pure32 = compare_values([float(x) for x in np.array(candidate, dtype=np.float32)], reference,
                                        tolerance, e32)
                self.assertEqual(actual.violations, expected.violations)
                self.assertEqual(actual.worst_index, expected.worst_index)
                self.assertEqual(actual.non_finite_elements, expected.non_finite_elements)
                self.assertAlmostEqual(actual.max_abs_error, pure32.max_abs_error)
                self.assertAlmostEqual(actual.allowed_max_abs_error, pure32.allowed_max_abs_error)
        poisoned = np.array([1.0, 2.0, 3.0], dtype=np.float32)
        poisoned.view(np.uint32)[1] = 0x7FC0DEAD
        self.assertEqual(count_poisoned_array(poisoned, np.array([1.0, 2.0, 3.0]), POISON_BITS["float32"]), 1)
        ints = np.array([0x5A5A5A5A, 4], dtype=np.int32)
        self.assertEqual(count_poisoned_array(ints, np.array([0x5A5A5A5A, 4]), POISON_BITS["int32"]), 0)
        self.assertEqual(count_poisoned_array(ints, np.array([3, 4]), POISON_BITS["int32"]), 1)

    def test_zero_dimensional_arrays_keep_their_shape(self) -> None:
        import numpy as np

        from kforge_worker.check import compare_arrays, count_poisoned_array
        from kforge_worker.tensors import read_npy
        with tempfile.TemporaryDirectory() as folder:
            path = os.path.join(folder, "scalar.npy")
            np.save(path, np.array(2.5, dtype=np.float32))
            array = read_npy(path)
        self.assertEqual(array.shape, ())
        self.assertEqual(compare_arrays(array, np.array(2.5), STRICT, 0.0).violations, 0)
        self.assertEqual(compare_arrays(array, np.array(2.0), STRICT, 0.0).worst_index, 0)
        self.assertEqual(count_poisoned_array(array, np.array(2.5), POISON_BITS["float32"]), 0)


if __name__ == "__main__":
    unittest.main()
