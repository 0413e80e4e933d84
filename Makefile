# Thi Đua — run `make help` for the targets.
SHELL := /bin/bash
.DEFAULT_GOAL := help
GO ?= go
BIN := bin/thidua

## help: list the targets
.PHONY: help
help:
	@echo "Thi Đua — make targets:"
	@awk -F': ' '/^## /{sub(/^## /,""); name=$$1; sub(/^[^:]*: /,""); printf "  %-12s %s\n", name, $$0}' $(MAKEFILE_LIST)

## postgres: make sure PostgreSQL's server binaries are here (apt-get as root)
.PHONY: postgres
postgres:
	@if ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || command -v initdb >/dev/null 2>&1; then exit 0; fi; \
	if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
		echo "PostgreSQL server binaries missing: installing the postgresql package"; \
		DEBIAN_FRONTEND=noninteractive apt-get update -qq && \
		DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql postgresql-contrib >/dev/null; \
	else \
		echo "PostgreSQL server binaries (initdb, pg_ctl) are missing. Install them with:"; \
		echo "  sudo apt-get install -y postgresql postgresql-contrib"; exit 1; \
	fi

## browser: make sure headless Chromium is here for the browser tests (apt-get as root)
.PHONY: browser
browser:
	@if command -v chromium >/dev/null 2>&1 || [ -n "$$CHROMIUM" ]; then exit 0; fi; \
	if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
		echo "Chromium missing: installing Debian's chromium for the browser tests"; \
		DEBIAN_FRONTEND=noninteractive apt-get update -qq && \
		DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-liberation2 >/dev/null; \
	else \
		echo "The browser tests need headless Chromium. Install it with:"; \
		echo "  sudo apt-get install -y chromium fonts-liberation2"; exit 1; \
	fi

## office: make sure LibreOffice Calc is here for the export test (apt-get as root)
.PHONY: office
office:
	@if command -v libreoffice >/dev/null 2>&1; then exit 0; fi; \
	if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
		echo "LibreOffice missing: installing Debian's libreoffice-calc-nogui for the export test"; \
		DEBIAN_FRONTEND=noninteractive apt-get update -qq && \
		DEBIAN_FRONTEND=noninteractive apt-get install -y -qq libreoffice-calc-nogui >/dev/null; \
	else \
		echo "The export test opens XLSX files in LibreOffice. Install it with:"; \
		echo "  sudo apt-get install -y libreoffice-calc-nogui"; exit 1; \
	fi

## pdftools: make sure poppler-utils (pdftotext, pdffonts, pdfinfo) is here for the PDF tests (apt-get as root)
.PHONY: pdftools
pdftools:
	@if command -v pdftotext >/dev/null 2>&1 && command -v pdffonts >/dev/null 2>&1; then exit 0; fi; \
	if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
		echo "poppler-utils missing: installing it for the PDF tests"; \
		DEBIAN_FRONTEND=noninteractive apt-get update -qq && \
		DEBIAN_FRONTEND=noninteractive apt-get install -y -qq poppler-utils >/dev/null; \
	else \
		echo "The PDF tests read the documents with poppler-utils. Install it with:"; \
		echo "  sudo apt-get install -y poppler-utils"; exit 1; \
	fi

## minio: make sure a MinIO server is in .tools/bin for the S3 store's tests (built from the Go module proxy, once)
MINIO_MODULE := github.com/minio/minio@v0.0.0-20260212201848-7aac2a2c5b7c
.PHONY: minio
minio:
	@if [ -n "$$MINIO_BIN" ] || [ -x .tools/bin/minio ]; then exit 0; fi; \
	echo "building the MinIO server into .tools/bin for the S3 tests (a few minutes, once)"; \
	rm -rf .tools/build && GOBIN=$(CURDIR)/.tools/build $(GO) install $(MINIO_MODULE) && \
	mkdir -p .tools/bin && mv .tools/build/minio .tools/bin/minio && rm -rf .tools/build

## build: build bin/thidua
.PHONY: build
build:
	$(GO) build -o $(BIN) ./cmd/thidua

## run: the portal on http://127.0.0.1:8080 with a private PostgreSQL under ./.data and demo data
.PHONY: run
run: postgres build
	./$(BIN) dev

## test: the whole suite against a real throwaway PostgreSQL
.PHONY: test
test: postgres browser office pdftools minio
	THIDUA_NEED_LIBREOFFICE=1 THIDUA_NEED_POPPLER=1 $(GO) test -count=1 -timeout 20m ./...

## bench: the load harness: throwaway cluster, province-sized data, references, report (docs/performance.md)
.PHONY: bench
bench: postgres
	$(GO) build -o bin/thidua-bench ./cmd/thidua-bench
	./bin/thidua-bench $(BENCH_FLAGS)

## bench-go: the Go benchmarks (testing.B, real PostgreSQL)
.PHONY: bench-go
bench-go: postgres
	$(GO) test -run '^$$' -bench . -benchmem -timeout 30m ./...

## check: gofmt, vet, staticcheck, templ fmt and generate, go mod tidy, migration pairs
.PHONY: check
check:
	@echo "gofmt"; out=$$(gofmt -l $$(git ls-files '*.go' | grep -v '_templ.go$$')); \
		if [ -n "$$out" ]; then echo "gofmt would change:"; echo "$$out"; exit 1; fi
	@echo "go vet"; $(GO) vet ./...
	@echo "staticcheck"; $(GO) tool staticcheck ./...
	@echo "templ fmt"; $(GO) tool templ fmt -fail web
	@echo "templ generate"; $(GO) tool templ generate >/dev/null && git diff --exit-code -- '*_templ.go' \
		|| { echo "generated templ files were stale: run go tool templ generate and commit"; exit 1; }
	@echo "go mod tidy"; $(GO) mod tidy && git diff --exit-code -- go.mod go.sum \
		|| { echo "go.mod/go.sum not tidy: run go mod tidy and commit"; exit 1; }
	@echo "migration pairs"; fail=0; for f in migrations/*.sql; do \
		case $$f in *.up.sql) [ -f "$${f%.up.sql}.down.sql" ] || { echo "missing down for $$f"; fail=1; } ;; \
		*.down.sql) [ -f "$${f%.down.sql}.up.sql" ] || { echo "missing up for $$f"; fail=1; } ;; \
		*) echo "not a migration pair file: $$f"; fail=1 ;; esac; done; exit $$fail
	@echo "check: ok"

## generate: regenerate the templ views
.PHONY: generate
generate:
	$(GO) tool templ fmt web
	$(GO) tool templ generate

## migrate-new: create a migration pair, e.g. make migrate-new name=add_campaigns
.PHONY: migrate-new
migrate-new:
	@test -n "$(name)" || { echo "usage: make migrate-new name=what_it_does"; exit 1; }
	@last=$$(ls migrations/*.up.sql 2>/dev/null | sed 's#.*/##' | cut -d_ -f1 | sort -n | tail -1); \
	next=$$(printf '%06d' $$((10#$${last:-0} + 1))); \
	printf 'BEGIN;\n\nCOMMIT;\n' > migrations/$${next}_$(name).up.sql; \
	printf 'BEGIN;\n\nCOMMIT;\n' > migrations/$${next}_$(name).down.sql; \
	echo "created migrations/$${next}_$(name).{up,down}.sql"

## audit: check, test, and verify the module downloads
.PHONY: audit
audit: check test
	$(GO) mod verify

## clean: remove the build output (keeps ./.data)
.PHONY: clean
clean:
	rm -rf bin
