# newsgraph: `make demo` and `make test` set everything up on a fresh machine.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-$(shell cat pyproject.toml | sha1sum | cut -c1-8)
DEMO_DB := demo.db

.PHONY: install demo test lint eval eval-deps bench schema clean chromium serve screenshots

install: $(STAMP)

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -e ".[dev]"
	rm -f $(VENV)/.installed-*
	touch $(STAMP)

demo: install
	rm -f $(DEMO_DB) $(DEMO_DB)-wal $(DEMO_DB)-shm
	$(BIN)/newsgraph ingest examples --db $(DEMO_DB)
	@echo; echo "== The seed article, as stored =="
	$(BIN)/newsgraph show $$($(BIN)/newsgraph extract examples/seed.txt --no-nlp -f json \
	    | $(BIN)/python -c 'import json,sys; print(json.load(sys.stdin)["article"]["id"])') --db $(DEMO_DB)
	@echo; echo "== Search: drones, and every article mentioning Zelensky =="
	$(BIN)/newsgraph search drones --db $(DEMO_DB)
	$(BIN)/newsgraph search --person Zelenskyy --db $(DEMO_DB)
	$(BIN)/newsgraph stats --db $(DEMO_DB)
	@echo; echo "== Stories across outlets, and the one most outlets reported, claims lined up =="
	$(BIN)/newsgraph stories --db $(DEMO_DB)
	$(BIN)/newsgraph story $$($(BIN)/newsgraph stories --json --db $(DEMO_DB) | $(BIN)/python -c \
	    'import json,sys; print(max(json.load(sys.stdin)["items"], key=lambda s: len(s["articles"]))["id"])') --db $(DEMO_DB)
	@echo; echo "== Export: the store as Parquet tables (demo-export/) and GDELT GKG 2.1 rows =="
	rm -rf demo-export
	$(BIN)/newsgraph export -f parquet -o demo-export --db $(DEMO_DB)
	$(BIN)/newsgraph export -f gkg -o demo-export.gkg.tsv --db $(DEMO_DB)
	@echo; echo "== The web app and API on the demo database (Ctrl-C to stop). Three questions, answered: =="
	$(BIN)/newsgraph tour --db $(DEMO_DB)
	$(BIN)/newsgraph serve --db $(DEMO_DB)

serve: install
	$(BIN)/newsgraph serve --db $(DEMO_DB)

# Browser tests use Debian's chromium (never a downloaded browser); install it where we can.
chromium:
	@command -v chromium >/dev/null 2>&1 || { [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1 && \
	  (DEBIAN_FRONTEND=noninteractive apt-get install -y -q chromium >/dev/null 2>&1 || \
	   (apt-get update -q >/dev/null 2>&1 && DEBIAN_FRONTEND=noninteractive apt-get install -y -q chromium >/dev/null 2>&1)); } || \
	  echo "chromium not installed: the browser tests will be skipped"

test: install chromium
	$(BIN)/pytest

# The story, quotes and person pages at desktop and phone width, taken by the browser tests that
# answer the analyst's three questions on the demo store.
screenshots: install chromium
	NEWSGRAPH_SCREENSHOTS=docs/screenshots $(BIN)/pytest -q -p no:cacheprovider tests/test_questions.py

lint: install
	$(BIN)/ruff check src tests bench

schema: install
	$(BIN)/newsgraph schema > docs/record.schema.json

eval-deps: install
	$(BIN)/python -m pip install -q -e ".[eval]"

eval: eval-deps
	$(BIN)/newsgraph eval --update-readme

bench: install
	$(BIN)/python bench/throughput.py --repeat 9 --update-readme
	$(BIN)/python bench/extraction.py --update-readme

clean:
	rm -rf $(VENV) $(DEMO_DB) $(DEMO_DB)-wal $(DEMO_DB)-shm
