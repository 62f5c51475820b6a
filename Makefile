# The README's two set-up commands. Both install what is missing first (scripts/setup-deps) and build the
# dashboard (scripts/build-web: npm ci from the lockfile, then Vite into web/dist).
#   make run   — build release and start the main job (`ballast serve` with the dashboard, scripts/serve)
#   make test  — build under address + undefined-behaviour sanitizers and run every test with ctest
#                (C++ unit and integration tests, the dashboard's Vitest tests and its browser tests)
.PHONY: run test deps web release asan bench demo clean

JOBS ?= $(shell nproc)

deps:
	@scripts/setup-deps

web: deps
	@scripts/build-web

release: deps web
	@cmake --preset release >/dev/null
	@cmake --build --preset release --target ballast -j $(JOBS)

run: release
	@scripts/serve

demo: release
	@scripts/demo

asan: deps web
	@cmake --preset asan >/dev/null
	@cmake --build --preset asan -j $(JOBS)

test: asan
	@ctest --preset asan

bench: deps
	@cmake --preset release >/dev/null
	@cmake --build --preset release -j $(JOBS)
	@for b in build/release/bench/ballast_bench_*; do echo "== $$b"; $$b; done

clean:
	rm -rf build
