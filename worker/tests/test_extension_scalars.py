"""A torch-extension candidate is called as the reference is: with the problem's scalar inputs at their positions."""
import unittest

from kforge_worker.extension.harness import LoadedCandidate
from kforge_worker.protocol import ScalarInput


class WithScalarsTests(unittest.TestCase):
    def loaded(self, *scalars: ScalarInput) -> LoadedCandidate:
        return LoadedCandidate("c.py", "cpu", lambda *args: None, (0, 1), (), (), (), scalars)

    def test_scalars_go_back_to_their_positions_in_get_inputs(self) -> None:
        loaded = self.loaded(ScalarInput(3, True), ScalarInput(1, 3.14))
        self.assertEqual(loaded.with_scalars(("A", "B", "W")), ("A", 3.14, "B", True, "W"))

    def test_leading_scalar(self) -> None:
        self.assertEqual(self.loaded(ScalarInput(0, 2)).with_scalars(("A",)), (2, "A"))

    def test_no_scalars_leaves_the_tensors_alone(self) -> None:
        self.assertEqual(self.loaded().with_scalars(("A", "B")), ("A", "B"))


if __name__ == "__main__":
    unittest.main()
