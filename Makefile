# nnpart: fastest placement of a network's layers across networked devices.
#   make            build $(BUILD)/nnpart
#   make run        build and open the explorer on the built-in default scenario
#   make test       build with -Werror under ASan + UBSan and run every test
#   make bench      solver benchmark table
#   make bench-adversarial  time and memory on the adversarial inputs
#   make fuzz       libFuzzer harnesses (clang, ASan + UBSan), FUZZ_SECONDS each
#   make install    PREFIX=/usr/local DESTDIR=

PREFIX ?= /usr/local
BINDIR ?= $(PREFIX)/bin
MANDIR ?= $(PREFIX)/share/man
BUILD ?= build
CC ?= cc
PKG_CONFIG ?= pkg-config

OPT ?= -O2 -g
WARN := -Wall -Wextra -Wshadow -Wstrict-prototypes -Wmissing-prototypes
CPPFLAGS_ALL = -D_GNU_SOURCE -Imodel -Isolve -Idraw -Itui -Icli -I$(BUILD)/gen
CFLAGS_ALL = -std=c11 $(OPT) $(WARN) $(EXTRA_CFLAGS) $(CPPFLAGS_ALL) \
	$(shell $(PKG_CONFIG) --cflags ncursesw yaml-0.1 2>/dev/null) -MMD -MP
LDLIBS_ALL = $(shell $(PKG_CONFIG) --libs ncursesw yaml-0.1 2>/dev/null || echo -lncursesw -lyaml) \
	-lglpk -lprotobuf-c -lm -lpthread $(EXTRA_LDFLAGS)

SAN_FLAGS := -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all

LIB_SRC := $(wildcard model/*.c solve/*.c draw/*.c tui/*.c) $(filter-out cli/main.c,$(wildcard cli/*.c))
LIB_OBJ := $(LIB_SRC:%.c=$(BUILD)/%.o) $(BUILD)/gen/default_yaml.o $(BUILD)/gen/onnx.pb-c.o
# The ONNX schema Debian ships (libonnx-dev); its C parser is generated here.
ONNX_PROTO ?= /usr/include/onnx/onnx.proto
TEST_SRC := $(wildcard tests/test_*.c)
TEST_BIN := $(TEST_SRC:tests/%.c=$(BUILD)/tests/%)
BENCH_SRC := $(wildcard bench/*.c)

.PHONY: man-keys all run test check-run bench deps-bench install uninstall clean deps deps-test format fuzz fuzz-run bench-adversarial

all: $(BUILD)/nnpart

deps:
	@sh scripts/deps.sh build

deps-test:
	@sh scripts/deps.sh test

$(BUILD)/%.o: %.c | deps
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS_ALL) -c $< -o $@

$(BUILD)/gen/default_yaml.c: configs/default.yaml scripts/embed.sh
	@mkdir -p $(dir $@)
	sh scripts/embed.sh nnpart_default_yaml $< > $@

$(BUILD)/gen/default_yaml.o: $(BUILD)/gen/default_yaml.c
	$(CC) $(CFLAGS_ALL) -c $< -o $@

# protoc-c writes onnx.pb-c.[ch] beside the copied schema, in the build tree.
$(BUILD)/gen/onnx.pb-c.c: $(ONNX_PROTO) | deps
	@mkdir -p $(dir $@)
	cp $(ONNX_PROTO) $(BUILD)/gen/onnx.proto
	cd $(BUILD)/gen && protoc-c --c_out=. onnx.proto

$(BUILD)/gen/onnx.pb-c.h: $(BUILD)/gen/onnx.pb-c.c

# Generated code: built without the project's warnings, with its sanitizers.
$(BUILD)/gen/onnx.pb-c.o: $(BUILD)/gen/onnx.pb-c.c
	$(CC) -std=c11 $(OPT) -w $(filter-out -Werror,$(EXTRA_CFLAGS)) -I$(BUILD)/gen -c $< -o $@

$(BUILD)/model/onnx.o $(BUILD)/bench/onnx_bench.o: $(BUILD)/gen/onnx.pb-c.h

$(BUILD)/libnnpart.a: $(LIB_OBJ)
	@rm -f $@
	ar rcs $@ $^

$(BUILD)/nnpart: $(BUILD)/cli/main.o $(BUILD)/libnnpart.a
	$(CC) $(CFLAGS_ALL) -o $@ $^ $(LDLIBS_ALL)

$(BUILD)/tests/%: tests/%.c $(BUILD)/libnnpart.a | deps-test
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS_ALL) -Itests -o $@ $< $(BUILD)/libnnpart.a $(LDLIBS_ALL) -lcmocka

run: all
	./$(BUILD)/nnpart

# Tests always build in their own tree, with -Werror and the sanitizers; the
# benchmark is built there too, so a change that breaks it fails the tests.
TESTBUILD ?= build/test
test: deps-test
	@$(MAKE) --no-print-directory BUILD=$(TESTBUILD) OPT="-O1 -g" \
		EXTRA_CFLAGS="-Werror $(SAN_FLAGS)" EXTRA_LDFLAGS="$(SAN_FLAGS)" check-run

check-run: $(BUILD)/nnpart $(BUILD)/nnpart-bench $(TEST_BIN)
	@NNPART=$(BUILD)/nnpart BUILD=$(BUILD) FUZZ_SECONDS=$(FUZZ_SECONDS) sh tests/run.sh $(TEST_BIN)

# Fuzzing: every fuzz/fuzz_*.c is a libFuzzer harness (a new one is a new
# file; seeds from fuzz/seeds/NAME/ plus FUZZ_SEEDS_NAME). `make test` runs
# this last (tests/e2e/zz_fuzz.sh); FUZZ_SECONDS=0 skips it there.
FUZZ_SECONDS ?= 12
FUZZ_SAN := -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer
FUZZ_NAMES := $(patsubst fuzz/%.c,%,$(wildcard fuzz/fuzz_*.c))
FUZZ_SEEDS_fuzz_scenario := configs tests/bad
FUZZ_SEEDS_fuzz_solve := configs tests/bad
FUZZ_SEEDS_fuzz_patch := configs tests/patch
FUZZ_SEEDS_fuzz_onnx := tests/fixtures/onnx
FUZZBUILD ?= build/fuzz
fuzz: deps-test
	@$(MAKE) --no-print-directory BUILD=$(FUZZBUILD) CC=clang OPT="-O1 -g" \
		EXTRA_CFLAGS="-fsanitize=fuzzer-no-link $(FUZZ_SAN)" EXTRA_LDFLAGS="$(FUZZ_SAN)" fuzz-run

fuzz-run: $(FUZZ_NAMES:%=$(BUILD)/fuzz/%)
	@FUZZ_SECONDS=$(FUZZ_SECONDS) BUILD=$(BUILD) sh fuzz/run.sh \
		$(foreach f,$(FUZZ_NAMES),"$(BUILD)/fuzz/$(f):$(FUZZ_SEEDS_$(f))")

$(BUILD)/fuzz/%: fuzz/%.c fuzz/fuzz.h $(BUILD)/libnnpart.a
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS_ALL) -fsanitize=fuzzer -Ifuzz -o $@ $< $(BUILD)/libnnpart.a $(LDLIBS_ALL)

# The adversarial inputs of issue 8: time and peak RSS of each (README).
bench-adversarial: all
	@sh bench/adversarial.sh $(BUILD)/nnpart

deps-bench:
	-@sh scripts/deps.sh bench # without CBC (not root) the benchmark leaves its column out

bench: deps deps-bench
	@$(MAKE) --no-print-directory BUILD=build/bench OPT="-O2 -DNDEBUG" $$(echo build/bench/nnpart-bench)
	./build/bench/nnpart-bench $(BENCH_ARGS)

$(BUILD)/nnpart-bench: $(BENCH_SRC:%.c=$(BUILD)/%.o) $(BUILD)/libnnpart.a
	$(CC) $(CFLAGS_ALL) -o $@ $^ $(LDLIBS_ALL)

install: all
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(MANDIR)/man1
	install -m 755 $(BUILD)/nnpart $(DESTDIR)$(BINDIR)/nnpart
	install -m 644 doc/nnpart.1 $(DESTDIR)$(MANDIR)/man1/nnpart.1

uninstall:
	rm -f $(DESTDIR)$(BINDIR)/nnpart $(DESTDIR)$(MANDIR)/man1/nnpart.1

# The explorer's keys in the man page, from the key table (tests/e2e/cli_keys_man.sh
# checks that they agree).
man-keys: $(BUILD)/nnpart
	@$(BUILD)/nnpart --keys-man > $(BUILD)/keys.man
	@awk -v keys=$(BUILD)/keys.man '/^\.\\" keys: end/ { while ((getline l < keys) > 0) print l; skip = 0 } \
		!skip { print } /^\.\\" keys: generated/ { skip = 1 }' doc/nnpart.1 > $(BUILD)/nnpart.1 && \
		mv $(BUILD)/nnpart.1 doc/nnpart.1

format:
	clang-format -i $(wildcard model/*.[ch] solve/*.[ch] draw/*.[ch] tui/*.[ch] cli/*.[ch] tests/*.[ch] bench/*.[ch])

clean:
	rm -rf build

-include $(shell find $(BUILD) -name '*.d' 2>/dev/null)
