#!/bin/bash
# shellcheck disable=SC1010,SC1091
# sem_errors.py natively and in the sandbox: identical output
. "$(dirname "$0")/lib.sh"
sem_compare sem_errors.py
