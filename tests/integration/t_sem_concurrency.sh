#!/bin/bash
# sem_concurrency.py natively and in the sandbox: identical output
. "$(dirname "$0")/lib.sh"
sem_compare sem_concurrency.py
