# tracesim: the two commands of the README, and the rest of the workflow.
#   make demo   installs missing Debian packages, builds, runs the default comparison
#   make test   installs missing Debian packages, builds, runs every test
BUILD ?= build
JOBS ?= $(shell nproc)
CMAKE_FLAGS ?=

.PHONY: all deps configure build demo test bench clean

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

bench: build
	cmake --build $(BUILD) --target tracesim_bench
	$(BUILD)/bench/tracesim_bench

clean:
	rm -rf $(BUILD)
