"""The benchmark suite: how fast the dashboard answers, how much it sends, how it scales.
Run with `python -m bench` (see README); results go to bench/results/."""
