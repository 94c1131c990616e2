# tenantry: every entry point. The README shows two: `make demo` and `make test`.
# Everything a fresh machine needs beyond the Rust, Python 3.11 and Node 20 toolchains is
# installed here (the virtualenv, maturin, pytest, peer libraries, npm packages).

SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := test

PYTHON ?= python3
VENV := .venv
VPY := $(VENV)/bin/python
NODE_DIR := bindings-node
PY_DIR := bindings-python

.PHONY: test demo examples bench lint fmt-check clippy doc-check doc-examples rust-test py-test node-test types-test venv wheel addon clean

RUST_EXAMPLES := $(basename $(notdir $(wildcard examples/rust/*.rs)))
# Every benches/rust/<cap>.rs is the `[[bench]]` target <cap> (declared in core/Cargo.toml).
RUST_BENCHES := $(basename $(notdir $(wildcard benches/rust/*.rs)))

## make test: build everything, then run lint, Rust, Python and Node suites (vectors included)
## and every example.
test: lint rust-test py-test node-test types-test examples
	@echo "make test: all suites passed"

## make demo: a short tour of tenantry in Rust, Python and Node.
demo: examples

examples: wheel addon examples/node/node_modules/.installed
	@for ex in $(RUST_EXAMPLES); do echo "== rust: $$ex"; cargo run -q -p tenantry --example $$ex; done
	@for f in examples/python/*.py; do echo "== python: $$f"; $(VPY) $$f; done
	@for f in examples/node/*.js; do echo "== node: $$f"; node $$f; done

examples/node/node_modules/.installed: examples/node/package-lock.json
	cd examples/node && npm ci --no-audit --no-fund --loglevel=error
	touch $@

## make bench: release builds, then ONE comparison table per language (operation, peer, tenantry,
## peer, ratio) covering every capability: Rust from the criterion results of every bench target
## (benches/rust/table.py), Python and Node from every bench module (benches/python/run.py,
## benches/node/run.js; the interface to add a capability is at the top of each).
## Criterion's own report goes to target/bench-rust.log.
bench: wheel addon
	@mkdir -p target && touch target/bench-start
	@cargo bench -q -p tenantry $(addprefix --bench ,$(RUST_BENCHES)) -- --quiet >target/bench-rust.log 2>target/bench-rust.err \
		|| { cat target/bench-rust.err; exit 1; }
	@$(VPY) benches/rust/table.py target/criterion --since target/bench-start --log target/bench-rust.log
	@$(VPY) benches/python/run.py
	@node benches/node/run.js

lint: fmt-check clippy doc-check doc-examples

fmt-check:
	cargo fmt --all -- --check

clippy:
	cargo clippy --workspace --all-targets -- -D warnings

# Broken or redundant intra-doc links fail the build: every public item's docs are part of the API.
doc-check:
	RUSTDOCFLAGS="-D warnings" cargo doc --no-deps -p tenantry

# Every public item shows an example. rustdoc's lint for this skips re-exported items (most of
# this crate), so a script walks the public API in rustdoc's JSON, which is unstable: this one
# check runs it through RUSTC_BOOTSTRAP (it only reads the docs; nothing built here ships).
doc-examples:
	RUSTC_BOOTSTRAP=1 cargo rustdoc -q -p tenantry -- -Zunstable-options --output-format json
	$(PYTHON) tests/lint/doc_examples.py "$${CARGO_TARGET_DIR:-target}/doc/tenantry.json"

rust-test:
	cargo test --workspace

# ---- Python ---------------------------------------------------------------------------------

$(VENV)/.installed: $(PY_DIR)/requirements-dev.txt
	$(PYTHON) -m venv $(VENV)
	$(VPY) -m pip install -q --disable-pip-version-check -r $(PY_DIR)/requirements-dev.txt
	touch $@

venv: $(VENV)/.installed

wheel: venv
	rm -rf dist
	$(VENV)/bin/maturin build --release --out dist -m $(PY_DIR)/Cargo.toml
	$(VPY) -m pip install -q --disable-pip-version-check --no-index --no-deps --force-reinstall dist/*.whl

py-test: wheel
	cd $(PY_DIR) && ../$(VPY) -m pytest -q tests
	$(VENV)/bin/mypy --strict $(PY_DIR)/tests/typing_examples.py
	$(VPY) -m mypy.stubtest tenantry --allowlist $(PY_DIR)/stubtest-allowlist.txt

# ---- Node -----------------------------------------------------------------------------------

$(NODE_DIR)/node_modules/.installed: $(NODE_DIR)/package-lock.json
	cd $(NODE_DIR) && npm ci --no-audit --no-fund --loglevel=error
	touch $@

addon: $(NODE_DIR)/node_modules/.installed
	cd $(NODE_DIR) && npx napi build --platform --release --js native.js --dts native.d.ts

# The Node suite also checks that keys issued in Node verify in Python, so it needs the wheel.
node-test: addon wheel
	cd $(NODE_DIR) && node --test test/

types-test: addon
	cd $(NODE_DIR) && npx tsc -p test/types/tsconfig.json

clean:
	cargo clean
	rm -rf $(VENV) dist $(NODE_DIR)/node_modules $(NODE_DIR)/*.node $(NODE_DIR)/native.js $(NODE_DIR)/native.d.ts
