# tsguard: thin wrapper over Meson.
#
#   make demo    install what is missing, build, scan the bundled examples
#   make check   install, build with -Werror and ASan/UBSan, run every test
#   make bench   build optimised and print the benchmark figures
#   make fuzz    run every libFuzzer target for FUZZ_SECONDS each (clang)

BUILD       ?= build
CHECK_BUILD ?= build-check
FUZZ_BUILD  ?= build-fuzz
FUZZ_SECONDS ?= 20
MESON       ?= meson

.PHONY: all deps build demo check bench fuzz accuracy clean

all: build

deps:
	@scripts/install-deps.sh

$(BUILD)/build.ninja:
	$(MESON) setup $(BUILD) --buildtype=release -Db_ndebug=false

build: deps $(BUILD)/build.ninja
	ninja -C $(BUILD)

demo: build
	@scripts/demo.sh $(BUILD)

$(CHECK_BUILD)/build.ninja:
	$(MESON) setup $(CHECK_BUILD) --buildtype=debug -Db_sanitize=address,undefined \
		-Db_lundef=false -Dwerror=true

check: deps $(CHECK_BUILD)/build.ninja
	ninja -C $(CHECK_BUILD)
	ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 \
	UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
	$(MESON) test -C $(CHECK_BUILD) --print-errorlogs --num-processes 2

bench: build
	@scripts/bench.sh $(BUILD)

fuzz: deps
	@scripts/fuzz.sh $(FUZZ_BUILD) $(FUZZ_SECONDS)

# make accuracy: retrain data/model.tsgm on the corpus train split (test
# duplicates dropped), evaluate on the test split, write docs/accuracy.md.
CORPUS      ?= ../shared/corpus
TRAIN_CMD    = tsguard train --seed 1 --out data/model.tsgm \
               --exclude $(CORPUS)/test.jsonl $(CORPUS)/train.jsonl
EVAL_CMD     = tsguard eval --model data/model.tsgm $(CORPUS)/test.jsonl

accuracy: build
	$(BUILD)/src/$(TRAIN_CMD)
	$(BUILD)/src/$(EVAL_CMD) --markdown docs/accuracy.md \
		--corpus $(CORPUS)/train.jsonl --command "make accuracy" --command "$(TRAIN_CMD)" \
		--command "$(EVAL_CMD)"

clean:
	rm -rf $(BUILD) $(CHECK_BUILD) $(FUZZ_BUILD)
