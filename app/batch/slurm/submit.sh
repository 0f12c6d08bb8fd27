#!/bin/bash
# Submits an "ecgstation batch" job array over an archive and the merge job
# that runs after it, and prints the two job ids ("ARRAY MERGE").
#
#   submit.sh ARCHIVE OUT DB [RECORDS_PER_TASK]
#
# ARCHIVE is a folder tree of records or a list file (one path a line);
# OUT the folder for the shards' databases and bundles; DB the label
# database the merge writes. RECORDS_PER_TASK (default 50) sets the number
# of tasks. Environment: ECGSTATION (default: ecgstation on PATH),
# CPUS_PER_TASK (default 1), MAX_RUNNING (cap on tasks at once), and
# SBATCH_ARGS (more sbatch options for both jobs, e.g. "--partition=cpu
# --time=02:00:00"). See README.md (Archives on a Slurm cluster).
set -euo pipefail
if [ $# -lt 3 ]; then
	echo "usage: $0 ARCHIVE OUT DB [RECORDS_PER_TASK]" >&2
	exit 2
fi
here=$(cd "$(dirname "$0")" && pwd)
if [ ! -e "$1" ]; then
	echo "$0: $1: no such folder or list file" >&2
	exit 2
fi
archive=$(realpath "$1") out=$(realpath -m "$2") db=$(realpath -m "$3") per=${4:-50}
ecg=$(command -v "${ECGSTATION:-ecgstation}") || { echo "$0: ecgstation not found: set ECGSTATION" >&2; exit 2; }
shopt -s nocasematch
if [[ -f "$archive" && ( "$archive" == *.hea || "$archive" == *.edf || "$archive" == *.bdf || "$archive" == *.ecg ) ]]; then
	n=1
elif [ -d "$archive" ]; then
	n=$(find "$archive" -type f \( -iname '*.hea' -o -iname '*.edf' -o -iname '*.bdf' -o -iname '*.ecg' \) | wc -l)
else
	n=$(grep -cv '^[[:space:]]*\(#\|$\)' "$archive" || true)
fi
if [ "$n" -eq 0 ]; then
	echo "$0: no records in $archive" >&2
	exit 1
fi
tasks=$(( (n + per - 1) / per ))
mkdir -p "$out"
export ECGSTATION="$ecg" ARCHIVE="$archive" OUT="$out" DB="$db" TASKS="$tasks"
# shellcheck disable=SC2086 # SBATCH_ARGS is a list of options
array=$(sbatch --parsable ${SBATCH_ARGS:-} --cpus-per-task="${CPUS_PER_TASK:-1}" \
	--array="0-$((tasks - 1))${MAX_RUNNING:+%$MAX_RUNNING}" --export=ALL "$here/array.sbatch")
array=${array%%;*}
# shellcheck disable=SC2086
merge=$(sbatch --parsable ${SBATCH_ARGS:-} --dependency="afterany:$array" --export=ALL "$here/merge.sbatch")
echo "$array ${merge%%;*}"
echo "$n records, $tasks tasks of up to $per; merge job ${merge%%;*} runs after array $array" >&2
