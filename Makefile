# Atelier — made-to-order strap configurator backend. `make help` lists the targets.
SHELL := /bin/bash
GO ?= go
WEB := web-client
HAS_WEB := $(wildcard $(WEB)/package.json)

.DEFAULT_GOAL := help

# The web client's packages, installed once per package-lock.json (npm ci wipes and reinstalls
# node_modules, ~30 s, so the targets below share one install).
NODE_MODULES := $(WEB)/node_modules/.installed
$(NODE_MODULES): $(WEB)/package.json $(WEB)/package-lock.json
	cd $(WEB) && npm ci --no-audit --no-fund --silent
	@touch $@

.PHONY: help
help: ## List the targets
	@grep -hE '^[a-zA-Z_-]+:.*?## ' $(MAKEFILE_LIST) | awk 'BEGIN {FS = ":.*?## "}; {printf "  %-16s %s\n", $$1, $$2}'

.PHONY: generate
generate: ## Regenerate ent, then gqlgen, then the web client's types (in that order)
	@echo "==> ent codegen"
	$(GO) run ./ent/entc.go
	@echo "==> gqlgen"
	$(GO) tool gqlgen generate
ifneq ($(HAS_WEB),)
	@echo "==> web-client codegen"
	$(MAKE) --no-print-directory $(NODE_MODULES)
	cd $(WEB) && npm run --silent codegen
endif

.PHONY: check-generated
check-generated: generate ## Fail if generated code is not committed as generated
	@echo "==> checking generated files are up to date"
	@git diff --exit-code --stat -- . || (echo "generated files differ: run make generate and commit" && exit 1)
	@test -z "$$(git ls-files --others --exclude-standard -- ent graph $(WEB)/src/gql)" || \
		(git ls-files --others --exclude-standard -- ent graph $(WEB)/src/gql; \
		echo "untracked generated files: commit them" && exit 1)

.PHONY: web
web: ## Build the SPA into web-client/dist
ifneq ($(HAS_WEB),)
	@echo "==> building web-client"
	$(MAKE) --no-print-directory $(NODE_MODULES)
	cd $(WEB) && npm run build
else
	@echo "==> no web-client yet: the server shows a placeholder page"
endif

.PHONY: run
run: web ## Serve the API and the SPA on :8080 (embedded SQLite + Redis unless DATABASE_URL/REDIS_URL)
	@echo "==> starting atelier on $${ADDR:-:8080}"
	$(GO) run ./server serve

.PHONY: dev
dev: ## Run the API with the playground, and the Vite dev server with a proxy
	@echo "==> starting atelier -dev and vite"
	$(GO) run ./server serve -dev & \
	trap 'kill %1' EXIT; \
	if [ -n "$(HAS_WEB)" ]; then $(MAKE) --no-print-directory $(NODE_MODULES) && \
		cd $(WEB) && ./node_modules/.bin/vite; else wait; fi

.PHONY: build
build: web ## Build the server binary into bin/ and the SPA
	@echo "==> building bin/atelier"
	$(GO) build -o bin/atelier ./server

.PHONY: test
test: ## Run every Go test with the race detector, then the web client's unit tests
	@echo "==> go test -race ./...  (DATABASE_URL=$${DATABASE_URL:-embedded SQLite}, REDIS_URL=$${REDIS_URL:-embedded})"
	$(GO) test -race -count=1 -timeout 20m ./...
ifneq ($(HAS_WEB),)
	@echo "==> web-client unit tests"
	$(MAKE) --no-print-directory $(NODE_MODULES)
	cd $(WEB) && npm test
endif

.PHONY: fuzz
fuzz: ## Run each fuzz target briefly (FUZZTIME, default 10s); found crashers stay in testdata/fuzz
	@echo "==> fuzzing each target for $${FUZZTIME:-10s}"
	GO=$(GO) ./scripts/fuzz.sh

.PHONY: e2e
e2e: ## Browser tests: headless Chromium against a real server
ifneq ($(HAS_WEB),)
	@echo "==> browser tests"
	$(MAKE) --no-print-directory $(NODE_MODULES)
	cd $(WEB) && npm run build && npm run e2e
else
	@echo "==> no web-client yet: no browser tests"
endif

.PHONY: bench
bench: ## Run every benchmark with its same-run baseline into bench-results/report.md (BENCH_DURATION, default 10s)
	@echo "==> benchmarks: go test -bench ./server/..., then tools/loadgen (embedded, then real Redis if reachable)"
	GO=$(GO) ./scripts/bench.sh

.PHONY: lint
lint: ## gofmt, go vet, staticcheck (pinned, fetched through the module proxy), then the web client's ESLint
	@echo "==> gofmt"
	@test -z "$$(gofmt -l $$(git ls-files '*.go'))" || (gofmt -l $$(git ls-files '*.go'); exit 1)
	@echo "==> go vet"
	$(GO) vet ./...
	@echo "==> staticcheck"
	$(GO) run honnef.co/go/tools/cmd/staticcheck@v0.8.2 ./server/... ./graph/... ./tools/...
ifneq ($(HAS_WEB),)
	@echo "==> eslint (web-client)"
	$(MAKE) --no-print-directory $(NODE_MODULES)
	cd $(WEB) && npm run --silent lint
endif

.PHONY: clean
clean: ## Remove build output and the embedded database
	@echo "==> cleaning"
	rm -rf bin data $(WEB)/dist
