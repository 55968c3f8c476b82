# tracesim: the two commands of the README, and the rest of the workflow.
#   make demo   installs missing Debian packages, builds, runs the default comparison
#   make test   installs missing Debian packages, builds, runs every test
BUILD ?= build
JOBS ?= $(shell nproc)
CMAKE_FLAGS ?=

.PHONY: all deps configure build demo test test-asan check results bench clean

all: build

deps:
	@bash scripts/install-deps.sh

$(BUILD)/build.ninja: | deps
	cmake -S . -B $(BUILD) -G Ninja -DCMAKE_BUILD_TYPE=Release $(CMAKE_FLAGS)

configure: $(BUILD)/build.ninja

build: configure
	cmake --build $(BUILD) -j $(JOBS)

demo: build
	$(BUILD)/tracesim run scenarios/default.toml

test: build
	ctest --test-dir $(BUILD) --output-on-failure -j $(JOBS)

# The test suite again, built with AddressSanitizer + UndefinedBehaviorSanitizer.
test-asan:
	@$(MAKE) --no-print-directory test BUILD=build-asan CMAKE_FLAGS="-DTRACESIM_SANITIZE=ON"

# The regression gate: every shipped scenario against results/baseline (exit 3 on regression).
check: build
	$(BUILD)/tracesim check --all

# Baselines and the slide tables/charts of every shipped scenario, regenerated.
results: build
	$(BUILD)/tracesim check --all --update
	@for s in scenarios/*.toml; do n=$$(basename $$s .toml); \
	  $(BUILD)/tracesim run $$s --format md -o results/$$n.md && \
	  $(BUILD)/tracesim run $$s --format svg -o results/$$n.svg || exit 1; done
	$(BUILD)/tracesim regs --all --format md -o results/regs.md

bench: build
	cmake --build $(BUILD) --target tracesim_bench
	$(BUILD)/bench/tracesim_bench

clean:
	rm -rf $(BUILD)
