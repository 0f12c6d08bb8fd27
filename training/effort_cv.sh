#!/bin/sh
# Reader effort on DS1, by patient folds: each fold's records are read (by
# the reader simulator, `ecgstation bench-effort`) with a beat model trained
# on the other two folds only, so that the reader's tools and the clustering
# are tuned without DS2 and without a model that has seen the patient.
#
#   training/effort_cv.sh MITDB_DIR [bench-effort options...]
#
# The fold models are made once into $CV_DIR (default build/cv;
# train_beat.py with the other two folds as its own folds and the options in
# $TRAIN_OPTS, default none; about 1.5 min a fold on 2 cores) and reused.
# Prints a row per record and the mean of the records' actions per 1000
# beats of each strategy run (b and c unless --strategy says otherwise;
# with -v, the phase lines too).
set -eu
mitdb=$1
shift
bin=${ECGSTATION:-bin/ecgstation}
cv=${CV_DIR:-build/cv}
folds=$(cd training && /usr/bin/python3 -c 'import train_beat; print(train_beat.FOLDS.replace(";", " "))')
mkdir -p $cv
k=0
for held in $folds; do
	if [ ! -f $cv/beat_f$k.onnx ]; then
		train="" inner=""
		for f in $folds; do
			[ "$f" = "$held" ] && continue
			inner="$inner${inner:+;}$f"
			for r in $(echo "$f" | tr , ' '); do train="$train $mitdb/$r"; done
		done
		rm -rf $cv/f$k $cv/f$k.db
		$bin import-ann --ext atr --reader mitdb --db $cv/f$k.db $train >/dev/null
		$bin export --db $cv/f$k.db --reader mitdb --out $cv/f$k --fs 180 --before 0.4 --after 0.6 \
			--segment 4 --split 100,0,0 >/dev/null
		(cd training && /usr/bin/python3 train_beat.py --data ../$cv/f$k --out ../$cv/beat_f$k.onnx \
			--folds "$inner" ${TRAIN_OPTS:-}) >$cv/f$k.log 2>&1
	fi
	$bin bench-effort --data "$mitdb" --records "$held" --model $cv/beat_f$k.onnx --strategy b,c "$@" | grep -E '^([0-9]+ |#   |#     )'
	k=$((k + 1))
done | awk '{ print
		if ($1 ~ /^[0-9]/) for (i = 5; i < NF; i++)
			if ($i ~ /^[a-d]:$/) {
				if (!(($i) in sum)) order = order " " $i
				sum[$i] += $(i + 2); cnt[$i]++
			}
	}
	END {
		printf "mean of records per 1000 beats:"
		n = split(order, st, " ")
		for (j = 1; j <= n; j++) printf " %s %.1f (%d records)", st[j], sum[st[j]] / cnt[st[j]], cnt[st[j]]
		printf "\n"
	}'
