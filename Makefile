# changai: plain GNU make with pkg-config.
#   make            build build/changai
#   make run        install what is missing, build, create a demo store, serve
#   make test       install what is missing, build, run every test suite
#   make bench      benchmarks; figures appended to bench/RESULTS.md
#   make fuzz       longer fuzzing runs (FUZZ_SECONDS per target)
#   make lint       banned calls and non-literal SQL
# O=DIR builds elsewhere; SAN=1 adds ASan+UBSan; CC=clang works too.

O ?= build
CC ?= cc
PKGS := libmicrohttpd jansson sqlite3 libpq libsodium xlsxwriter libzip expat libcrypto
PKG_CFLAGS := $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
PKG_LIBS := $(shell pkg-config --libs $(PKGS) 2>/dev/null)

CFLAGS ?= -O2 -g
WARN := -Wall -Wextra -Werror -Wshadow -Wstrict-prototypes \
	-Wmissing-prototypes -Wformat=2 -Wno-format-nonliteral \
	-Werror=implicit-function-declaration
ALL_CFLAGS := -std=c17 -D_GNU_SOURCE $(WARN) $(CFLAGS) -Isrc -I$(O)/gen \
	$(PKG_CFLAGS) -MMD -MP
# libcsv ships no pkg-config file
LIBS := $(PKG_LIBS) -lcsv -lpthread -lm
ifeq ($(SAN),1)
ALL_CFLAGS += -fsanitize=address,undefined -fno-sanitize-recover=all \
	-fno-omit-frame-pointer
LDSAN := -fsanitize=address,undefined
endif

SRC := $(filter-out src/main.c,$(wildcard src/*/*.c)) src/modules.c
OBJ := $(SRC:src/%.c=$(O)/obj/%.o) $(O)/obj/gen/migrations.o
MIGRATIONS := $(wildcard src/db/migrations/*/*.sql)
UNIT_SRC := $(wildcard tests/unit/test_*.c)
UNIT_BIN := $(UNIT_SRC:tests/unit/%.c=$(O)/tests/%)

.PHONY: all run test bench fuzz lint unit clean demo-db
all: $(O)/changai

$(O)/gen/migrations.c: $(MIGRATIONS) scripts/embed-sql.sh
	@mkdir -p $(@D)
	sh scripts/embed-sql.sh src/db/migrations > $@.tmp && mv $@.tmp $@

# every module's sql.h, gathered; made before anything compiles
$(O)/gen/module_sql.h: $(wildcard src/*/sql.h) scripts/gen-sql.sh
	@mkdir -p $(@D)
	sh scripts/gen-sql.sh src > $@.tmp && mv $@.tmp $@

$(OBJ) $(O)/obj/main.o $(UNIT_BIN): | $(O)/gen/module_sql.h

$(O)/obj/gen/migrations.o: $(O)/gen/migrations.c
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) -c -o $@ $<

$(O)/obj/%.o: src/%.c
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) -c -o $@ $<

$(O)/libchangai.a: $(OBJ)
	rm -f $@
	ar rcs $@ $^

$(O)/changai: $(O)/obj/main.o $(O)/libchangai.a
	$(CC) $(LDSAN) -o $@ $^ $(LIBS)

$(O)/tests/%: tests/unit/%.c $(O)/libchangai.a
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) -Wno-missing-prototypes -o $@ $< $(O)/libchangai.a \
		$(LDSAN) $(LIBS) $(shell pkg-config --libs cmocka)

unit: $(UNIT_BIN)

lint:
	sh scripts/lint.sh

run:
	sh scripts/deps.sh run
	$(MAKE) all
	sh scripts/run.sh

test:
	sh scripts/deps.sh test
	sh scripts/test.sh

bench:
	sh scripts/deps.sh bench
	$(MAKE) all
	BENCH_BIN=$(O)/changai sh bench/run.sh

fuzz:
	sh scripts/deps.sh test
	FUZZ_SECONDS=$${FUZZ_SECONDS:-60} sh tests/fuzz/run.sh

clean:
	rm -rf build build-asan build-fuzz

-include $(OBJ:.o=.d) $(O)/obj/main.d
