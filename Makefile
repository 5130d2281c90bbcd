# Hatang — the two commands of the README:
#   make run    install what is missing, build, start the server on the demo data
#   make test   install what is missing, run every test
.PHONY: run test deps build check clean-data

CARGO ?= cargo
HATANG_ARGS ?=

deps:
	@./scripts/install-deps

build: deps
	$(CARGO) build --release --locked --bin hatang

run: build
	./target/release/hatang serve $(HATANG_ARGS)

test: deps
	$(CARGO) build --locked --bin hatang
	$(CARGO) test --locked --workspace

# Formatting and lints (what reviewers expect before a commit).
check:
	$(CARGO) fmt --all -- --check
	$(CARGO) clippy --workspace --all-targets --locked -- -D warnings

# Deletes the embedded database and everything in var/ (asks first).
clean-data:
	@read -p "Delete var/ and all data in it? [y/N] " answer && [ "$$answer" = y ] && rm -rf var
