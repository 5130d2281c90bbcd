# Hatang — the two commands of the README:
#   make run    install what is missing, build, start the server on the demo data
#   make test   install what is missing, run every test
.PHONY: run test deps test-deps build web browser-test check clean-data openapi

CARGO ?= cargo
HATANG_ARGS ?=

deps:
	@./scripts/install-deps

test-deps:
	@./scripts/install-deps --browser

# The web app (web/dist, served by hatang): npm ci when the lock file changed,
# a build when a source changed.
WEB_SOURCES := $(shell find web/src web/public -type f 2>/dev/null) \
	web/index.html web/package.json web/vite.config.ts web/tsconfig.json web/openapi.json

web/node_modules/.package-lock.json: web/package-lock.json
	cd web && npm ci --no-audit --no-fund

web/dist/index.html: web/node_modules/.package-lock.json $(WEB_SOURCES)
	cd web && npm run build

tests/browser/node_modules/.package-lock.json: tests/browser/package-lock.json
	cd tests/browser && npm ci --no-audit --no-fund

web: web/dist/index.html

build: deps
	$(CARGO) build --release --locked --bin hatang
	@$(MAKE) --no-print-directory web

run: build
	./target/release/hatang serve $(HATANG_ARGS)

test: test-deps
	$(CARGO) build --locked --bin hatang
	$(CARGO) test --locked --workspace
	@$(MAKE) --no-print-directory browser-test

# Real Chromium against the real server (tests/browser); screenshots in test-artifacts/.
browser-test: web tests/browser/node_modules/.package-lock.json
	cd tests/browser && npm test

# The API description from the code: web/openapi.json and the web app's types
# generated from it (a test fails when the committed file differs from the code).
openapi:
	$(CARGO) run --quiet --locked --bin hatang -- openapi > web/openapi.json.new
	mv web/openapi.json.new web/openapi.json
	cd web && npm run --silent api:types

# Formatting and lints (what reviewers expect before a commit).
check:
	$(CARGO) fmt --all -- --check
	$(CARGO) clippy --workspace --all-targets --locked -- -D warnings
	cd web && npx tsc --noEmit

# Deletes the embedded database and everything in var/ (asks first).
clean-data:
	@read -p "Delete var/ and all data in it? [y/N] " answer && [ "$$answer" = y ] && rm -rf var
