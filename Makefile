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
# the single-node Slurm cluster of the batch test, and the Python side
# (training, numpy loading tests, statsmodels for the mixed model's check).
APT_BUILD := gcc pkg-config libgl1-mesa-dev libx11-dev libxcursor-dev libxrandr-dev \
	libxinerama-dev libxi-dev libxxf86vm-dev
APT_TEST := xvfb xauth xdotool x11-utils imagemagick python3-numpy python3-mne \
	slurmctld slurmd slurm-client munge python3-statsmodels
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

# Default models: assets/models/beat.onnx and rhythm.onnx. The beat model
# learns from the DS1 records of the MIT-BIH Arrhythmia Database (EVALUATION.md)
# and the 39 records of the MIT-BIH Supraventricular Arrhythmia Database we
# hold (128 Hz, resampled by the export like every record), chosen by patient
# folds across both; the rhythm model from DS1, CinC 2017 (beats from our
# own detector) and synthetic rhythms. `make models-ds1` builds the
# DS1-only beat model (the published papers' protocol; v1.3.0's recipe) into
# build/models/ds1/beat.onnx. Fixed seeds, one thread, no oneDNN, ATen's
# default (non-vector) CPU kernels and NumPy without its SIMD loops, so that
# the bytes do not depend on the processor's vector units (training/README.md:
# Reproducible bytes).
DS1 := 101 106 108 109 112 114 115 116 118 119 122 124 201 203 205 207 208 209 215 220 223 230
SVDB_F1 := 803 804 826 827 841 844 848 853 855 863 865 883
SVDB_F2 := 811 820 821 843 854 856 859 862 864 867 868 875 888
SVDB_F3 := 807 809 812 825 829 840 850 852 857 866 870 874 881 884
SVDB := $(SVDB_F1) $(SVDB_F2) $(SVDB_F3)
comma := ,
space := $(subst ,, )
csv = $(subst $(space),$(comma),$(strip $(1)))
# train_beat.py's DS1 folds, each with a third of the svdb patients (about a
# third of svdb's S and V beats each).
BEAT_FOLDS := $(call csv,209 208 101 108 112 122 124 $(SVDB_F1));$(call csv,118 220 207 106 116 215 114 230 $(SVDB_F2));$(call csv,201 223 119 203 205 109 115 $(SVDB_F3))
# svdb is 85,000 N beats: the networks learn from a quarter of them (all of
# its S and V), which keeps the build under an hour. One beat in ten gives
# its second lead alone in the first lead's place, for one-lead records.
# A fold's network stops after 2 epochs without a better one.
# CinC 2017's normal-rhythm recordings teach one-lead N beats (v1.5.0;
# training/README.md: CinC normals): they are split by record (cinc.py
# split, seed CINC_SPLIT_SEED), the app's QRS detector marks their beats,
# the export resamples them as it does every record, the networks learn from
# CINC_SHARE of the training half's beats, and the held-out half's are where
# false ectopy is counted (TestCinCFalseEctopy with
# ECGSTATION_CINC_RECORDS=build/models/cinc-held-out.txt). The model averages
# BEAT_MEMBERS networks of different seeds, each trained on every record.
# The folds' held-out probabilities stay in build/models (pool_folds.py).
CINC_SPLIT_SEED := 0
CINC_SHARE := 0.2
BEAT_MEMBERS := 3
BEAT_OPTS = --folds '$(BEAT_FOLDS)' --thin-n 0.25:$(call csv,$(SVDB)) --lead-swap 0.1 --patience 2 \
	--cinc-normal $(CURDIR)/$(MODELS_TMP)/cinc-normal --cinc-train $(CURDIR)/$(MODELS_TMP)/cinc-train.txt \
	--cinc-share $(CINC_SHARE) --members $(BEAT_MEMBERS) \
	--first-member-out $(CURDIR)/$(MODELS_TMP)/beat-member1.onnx \
	--version 1.5.0 --held-out $(CURDIR)/$(MODELS_TMP)/beat_folds.npz
MODELS_TMP := build/models
# Every trainer runs PyTorch's default (non-vector) ATen kernels and NumPy
# without its SIMD loops: both pick kernels by processor (AVX2, AVX-512), and
# their results differ in the last bits (NumPy's AVX-512 exp and log differ
# from its plain ones in a quarter of the values; train_rhythm.py's synthetic
# AF uses them). glibc's libm still picks its FMA variant where the processor
# has FMA (every x86-64 of the last decade).
export ATEN_CPU_CAPABILITY := default
export NPY_DISABLE_CPU_FEATURES := SSSE3 SSE41 POPCNT SSE42 AVX F16C FMA3 AVX2 \
	AVX512F AVX512CD AVX512_SKX AVX512_CLX AVX512_CNL AVX512_ICL

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
	./$(BIN) cinc-beats $(ECGDATA)/cinc2017 --out $(MODELS_TMP)/cinc-beats.csv
	cd training && /usr/bin/python3 train_rhythm.py --data $(CURDIR)/$(MODELS_TMP)/ds1 \
		--cinc $(CURDIR)/$(MODELS_TMP)/cinc-beats.csv --out $(CURDIR)/assets/models/rhythm.onnx
	cd training && /usr/bin/python3 cinc.py split $(ECGDATA)/cinc2017/REFERENCE.csv \
		--out $(CURDIR)/$(MODELS_TMP) --seed $(CINC_SPLIT_SEED)
	mkdir -p $(MODELS_TMP)/cinc
	cat $(MODELS_TMP)/cinc-train.txt $(MODELS_TMP)/cinc-held-out.txt | while read r; do \
		ln -s $(abspath $(ECGDATA))/cinc2017/$$r.hea $(abspath $(ECGDATA))/cinc2017/$$r.mat $(MODELS_TMP)/cinc/ || exit 1; done
	cat $(MODELS_TMP)/cinc-train.txt $(MODELS_TMP)/cinc-held-out.txt | sed 's|^|$(MODELS_TMP)/cinc/|' | \
		xargs ./$(BIN) detect --out-ext qrs > $(MODELS_TMP)/detect.log
	cat $(MODELS_TMP)/cinc-train.txt $(MODELS_TMP)/cinc-held-out.txt | sed 's|^|$(MODELS_TMP)/cinc/|' | \
		xargs ./$(BIN) import-ann --ext qrs --reader detector --db $(MODELS_TMP)/cinc.db > $(MODELS_TMP)/import.log
	./$(BIN) export --db $(MODELS_TMP)/cinc.db --reader detector --out $(MODELS_TMP)/cinc-normal \
		--fs 180 --before 0.4 --after 0.6 --segment 4 --split 100,0,0
	./$(BIN) import-ann --ext atr --reader mitdb --db $(MODELS_TMP)/ds1svdb.db \
		$(addprefix $(ECGDATA)/mitdb/,$(DS1)) $(addprefix $(ECGDATA)/svdb/,$(SVDB)) > $(MODELS_TMP)/import-ds1svdb.log
	./$(BIN) export --db $(MODELS_TMP)/ds1svdb.db --reader mitdb --out $(MODELS_TMP)/ds1svdb \
		--fs 180 --before 0.4 --after 0.6 --segment 4 --split 100,0,0
	cd training && /usr/bin/python3 train_beat.py --data $(CURDIR)/$(MODELS_TMP)/ds1svdb \
		--out $(CURDIR)/assets/models/beat.onnx $(BEAT_OPTS)
	$(GO) build -o $(BIN) ./app

# The rhythm model with the waveform input (training/README.md: the rhythm
# model's waveform input), v2.1.0's candidate, into build/models/rhythm-wave.onnx:
# NOT the default (on DS2 it found 46% of the AF time against v2.0.0's 85%).
# Each beat's window, lead 0, 72 samples before the R peak and 36 from it on
# at 180 Hz, cut by the export from the detector's beats of all 8,528 CinC
# 2017 recordings (cinc-all-export) and from the DS1 export (make models).
RHYTHM_WAVE_OPTS = --cinc-export $(CURDIR)/$(MODELS_TMP)/cinc-all --waveform 72,36 --wave-channels diff --version 2.1.0
.PHONY: models-rhythm-wave
models-rhythm-wave: deps-train build
	test -f $(MODELS_TMP)/ds1/beats.npz -a -f $(MODELS_TMP)/cinc-beats.csv || { echo "run make models first (it makes the DS1 export and cinc-beats.csv)"; exit 1; }
	test -f $(MODELS_TMP)/cinc-all/beats.npz || $(MAKE) cinc-all-export
	cd training && /usr/bin/python3 train_rhythm.py --data $(CURDIR)/$(MODELS_TMP)/ds1 \
		--cinc $(CURDIR)/$(MODELS_TMP)/cinc-beats.csv --out $(CURDIR)/$(MODELS_TMP)/rhythm-wave.onnx $(RHYTHM_WAVE_OPTS)

# The quality model candidate (training/README.md, "Signal quality from
# CinC's noisy class"): not a default model; ecgstation annotate
# --quality-model build/models/quality.onnx serves it.
QUALITY_OPTS = --readable $(CURDIR)/$(MODELS_TMP)/ds1 --context 4 --folds 0
.PHONY: models-quality
models-quality: deps-train build
	test -f $(MODELS_TMP)/ds1/beats.npz -a -f $(MODELS_TMP)/cinc-beats.csv || { echo "run make models first (it makes the DS1 export and cinc-beats.csv)"; exit 1; }
	test -f $(MODELS_TMP)/cinc-all/beats.npz || $(MAKE) cinc-all-export
	cd training && /usr/bin/python3 train_quality.py --cinc-export $(CURDIR)/$(MODELS_TMP)/cinc-all \
		--cinc $(CURDIR)/$(MODELS_TMP)/cinc-beats.csv --out $(CURDIR)/$(MODELS_TMP)/quality.onnx $(QUALITY_OPTS)

.PHONY: cinc-all-export
cinc-all-export: build
	rm -rf $(MODELS_TMP)/cinc-all $(MODELS_TMP)/cinc-all-rec $(MODELS_TMP)/cinc-all.db
	mkdir -p $(MODELS_TMP)/cinc-all-rec
	cut -d, -f1 $(ECGDATA)/cinc2017/REFERENCE.csv | while read r; do \
		ln -s $(abspath $(ECGDATA))/cinc2017/$$r.hea $(abspath $(ECGDATA))/cinc2017/$$r.mat $(MODELS_TMP)/cinc-all-rec/ || exit 1; done
	cut -d, -f1 $(ECGDATA)/cinc2017/REFERENCE.csv | sed 's|^|$(MODELS_TMP)/cinc-all-rec/|' | \
		xargs ./$(BIN) detect --out-ext qrs > $(MODELS_TMP)/detect-all.log
	cut -d, -f1 $(ECGDATA)/cinc2017/REFERENCE.csv | sed 's|^|$(MODELS_TMP)/cinc-all-rec/|' | \
		xargs ./$(BIN) import-ann --ext qrs --reader detector --db $(MODELS_TMP)/cinc-all.db > $(MODELS_TMP)/import-all.log
	./$(BIN) export --db $(MODELS_TMP)/cinc-all.db --reader detector --out $(MODELS_TMP)/cinc-all \
		--fs 180 --before 0.4 --after 0.6 --segment 4 --split 100,0,0

# The DS1-only beat model (v1.3.0's recipe), into build/models/ds1/beat.onnx.
.PHONY: models-ds1
models-ds1: deps-train build
	rm -rf $(MODELS_TMP)/ds1 $(MODELS_TMP)/ds1.db && mkdir -p $(MODELS_TMP)
	./$(BIN) import-ann --ext atr --reader mitdb --db $(MODELS_TMP)/ds1.db $(addprefix $(ECGDATA)/mitdb/,$(DS1))
	./$(BIN) export --db $(MODELS_TMP)/ds1.db --reader mitdb --out $(MODELS_TMP)/ds1 \
		--fs 180 --before 0.4 --after 0.6 --segment 4 --split 100,0,0
	cd training && /usr/bin/python3 train_beat.py --data $(CURDIR)/$(MODELS_TMP)/ds1 --out $(CURDIR)/$(MODELS_TMP)/ds1/beat.onnx

# Throughput of "ecgstation batch": BATCH_RECORDS synthetic 1 h records by one
# process against a Slurm job array on a single-node cluster the test starts
# (root; README: Archives on a Slurm cluster), 3 rounds alternating, niced.
BATCH_RECORDS ?= 200
BATCH_PER_TASK ?= 10
.PHONY: batch-throughput
batch-throughput: deps-test ort
	nice -n 10 $(GO) test -count=1 -timeout 3h -run '^TestSlurmThroughput$$' -v ./app \
		-batch.records $(BATCH_RECORDS) -batch.per-task $(BATCH_PER_TASK)
