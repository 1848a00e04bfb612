#!/bin/sh
# Rebuilds the example course's archive submissions from the sources beside
# them (submissions/<verdict>/src/), reproducibly: fixed times, owners and
# order. Run from anywhere; needs zip, tar and gzip.
set -eu
cd "$(dirname "$0")"
STAMP='2024-09-01 12:00:00 UTC'

# mktar OUT.tar.gz DIR ENTRY...: entries relative to DIR
mktar() {
    out=$1 dir=$2
    shift 2
    find "$dir" -exec touch -h -d "$STAMP" {} +
    tar --sort=name --mtime="$STAMP" --owner=0 --group=0 --numeric-owner \
        --mode='u+rw,go+r,go-w' -C "$dir" -cf - "$@" | gzip -n -9 > "$out"
}

# mkzip OUT.zip DIR ENTRY...: entries relative to DIR
mkzip() {
    out=$(pwd)/$1 dir=$2
    shift 2
    find "$dir" -exec touch -h -d "$STAMP" {} +
    rm -f "$out"
    (cd "$dir" && TZ=UTC zip -X -q -r "$out" "$@")
}

# c-rpn: main.c + stack.c + stack.h
R=c-rpn/submissions
mkzip $R/accepted/rpn.zip            $R/accepted/src rpn                       # top folder rpn/
mktar $R/accepted/rpn.tar.gz         $R/accepted/src/rpn main.c stack.c stack.h  # files at the top
mktar $R/wrong_answer/rpn.tar.gz     $R/wrong_answer/src rpn
mkzip $R/run_time_error/rpn.zip      $R/run_time_error/src/rpn main.c stack.c stack.h
mkzip $R/compile_error/missing_header.zip $R/compile_error/src rpn            # no stack.h

# java-project: package bank under src/bank/
J=java-project/submissions
mktar $J/accepted/bank.tar.gz        $J/accepted/src bank-project              # top folder bank-project/
mktar $J/wrong_answer/bank.tar.gz    $J/wrong_answer/src bank-project
mktar $J/run_time_error/bank.tar.gz  $J/run_time_error/src/bank-project src    # top folder src/
mktar $J/compile_error/missing_account.tar.gz $J/compile_error/src bank-project  # no Account.java
