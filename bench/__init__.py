"""The benchmark (`make bench`). A package only so that bench.bench_settings can be imported."""
