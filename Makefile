# ECG Station build, run and test.
#
#   make run    open the app on the built-in demo record (installs what is missing)
#   make test   run every test, with -race (installs what is missing)
#
# Only apt writes outside the project: the ONNX Runtime library goes into lib/.

SHELL := /bin/bash
GO ?= go
BIN := bin/ecgstation
ORT_VERSION := 1.24.1
ORT_SHA256 := 53ef1ac028dd1b05554b8da28d9159eb3876f99868193d2aaa6e67f0243c23d4
ORT_LIB := lib/libonnxruntime.so.1
export ONNXRUNTIME_LIB ?= $(CURDIR)/$(ORT_LIB)
# A fixed locale for reproducible test output (the program itself copes with
# C.UTF-8, which Fyne cannot parse: app/internal/locale).
export LANG := en_US.UTF-8

# Debian packages: Fyne's cgo build (see README: Set-up), the real-window tests,
# and the Python side (training, numpy loading tests).
APT_BUILD := gcc pkg-config libgl1-mesa-dev libx11-dev libxcursor-dev libxrandr-dev \
	libxinerama-dev libxi-dev libxxf86vm-dev
APT_TEST := xvfb xauth xdotool x11-utils imagemagick python3-numpy python3-mne
APT_TRAIN := python3-torch python3-numpy python3-onnx

.PHONY: run test deps-build deps-test deps-train ort build clean testmodels bench-qrs nst

run: deps-build ort build
	./$(BIN)

build:
	$(GO) build -o $(BIN) ./app

# staticcheck, fetched through the Go module proxy like the modules.
STATICCHECK := honnef.co/go/tools/cmd/staticcheck@v0.8.2

test: deps-build deps-test deps-train ort
	$(GO) vet ./...
	@test -z "$$(gofmt -l $$(git ls-files '*.go'))" || { echo "gofmt needed:"; gofmt -l $$(git ls-files '*.go'); exit 1; }
	$(GO) run $(STATICCHECK) ./...
	$(GO) test -race -timeout 40m ./...


# apt_need installs the Debian packages of $(1) that are not installed yet
# (with sudo when not root); it does nothing when all are there.
define apt_need
	@missing=$$(for p in $(1); do dpkg-query -W -f='$${Status}\n' $$p 2>/dev/null | grep -q 'ok installed' || echo $$p; done); \
	if [ -n "$$missing" ]; then \
		echo "installing:" $$missing; \
		sudo=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
		$$sudo apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$sudo apt-get install -y -qq --no-install-recommends $$missing; \
	fi
endef

deps-build:
	$(call apt_need,$(APT_BUILD))

deps-test:
	$(call apt_need,$(APT_TEST))

deps-train:
	$(call apt_need,$(APT_TRAIN))

# ONNX Runtime shared library from the npm registry's onnxruntime-node package
# (elsewhere: the official release archive, see README).
ort: $(ORT_LIB)

$(ORT_LIB):
	@mkdir -p lib/.npm
	cd lib/.npm && npm pack --silent onnxruntime-node@$(ORT_VERSION) >/dev/null
	tar -xzf lib/.npm/onnxruntime-node-$(ORT_VERSION).tgz -C lib/.npm package/bin/napi-v6/linux/x64/libonnxruntime.so.1
	echo "$(ORT_SHA256)  lib/.npm/package/bin/napi-v6/linux/x64/libonnxruntime.so.1" | sha256sum -c --quiet
	mv lib/.npm/package/bin/napi-v6/linux/x64/libonnxruntime.so.1 $@
	rm -rf lib/.npm

clean:
	rm -rf bin lib dist

# The small ONNX models the tests load (testdata/models), remade from their script.
testmodels: deps-train
	/usr/bin/python3 testdata/models/make_models.py

# QRS detection on the whole MIT-BIH Arrhythmia Database under EC57, and the
# noise stress test; both need ECGDATA (the folder holding mitdb/ and noise/).
ECGDATA ?= ../shared/data
bench-qrs: build
	./$(BIN) bench-qrs --data $(ECGDATA)/mitdb

nst: build
	./$(BIN) nst --data $(ECGDATA)

# 200 SIGKILLs of a child process editing a real label database; every
# acknowledged edit must survive and undo must still work (about 75 s).
.PHONY: crashtest
crashtest:
	$(GO) test -count=1 -run '^TestCrashRecovery$$' -v ./store -crash.kills=200

# Installable Linux bundle: dist/ecgstation-<version>-linux-<arch>.tar.xz (fyne package:
# app with embedded models, icon, desktop entry; plus lib/libonnxruntime.so.1).
# fyne.io/tools v1.7.2 is the newest CLI built on fyne v2.7.x.
FYNE_TOOLS_VERSION := v1.7.2
FYNE := bin/tools/fyne
.PHONY: package
$(FYNE):
	GOBIN=$(CURDIR)/bin/tools $(GO) install fyne.io/tools/cmd/fyne@$(FYNE_TOOLS_VERSION)

package: deps-build ort $(FYNE)
	app/package.sh $(CURDIR)/$(FYNE) $(CURDIR)/$(ORT_LIB) $(CURDIR)/dist

# Default models: assets/models/beat.onnx and rhythm.onnx, trained on the DS1
# records of the MIT-BIH Arrhythmia Database only (EVALUATION.md), from fixed
# seeds, single-threaded, so the same data give the same bytes (training/README.md).
DS1 := 101 106 108 109 112 114 115 116 118 119 122 124 201 203 205 207 208 209 215 220 223 230
MODELS_TMP := build/models

# Reader effort on DS1 by patient folds (each fold read with a beat model
# trained on the others): how the reader's tools and the clustering are tuned.
.PHONY: effort-cv
effort-cv: deps-train build
	training/effort_cv.sh $(ECGDATA)/mitdb

.PHONY: models
models: deps-train build
	rm -rf $(MODELS_TMP) && mkdir -p $(MODELS_TMP)
	./$(BIN) import-ann --ext atr --reader mitdb --db $(MODELS_TMP)/ds1.db $(addprefix $(ECGDATA)/mitdb/,$(DS1))
	./$(BIN) export --db $(MODELS_TMP)/ds1.db --reader mitdb --out $(MODELS_TMP)/ds1 \
		--fs 180 --before 0.4 --after 0.6 --segment 4 --split 100,0,0
	cd training && /usr/bin/python3 train_rhythm.py --data $(CURDIR)/$(MODELS_TMP)/ds1 --out $(CURDIR)/assets/models/rhythm.onnx
	cd training && /usr/bin/python3 train_beat.py --data $(CURDIR)/$(MODELS_TMP)/ds1 --out $(CURDIR)/assets/models/beat.onnx
	$(GO) build -o $(BIN) ./app
