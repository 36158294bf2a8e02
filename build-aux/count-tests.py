#!/usr/bin/env python3
# Counts every test case in meson's log: each TAP line of a TAP suite, and
# each plain test as one. Prints "N passed, N failed" as the last line.
import json
import re
import sys

passed = failed = skipped = 0
ok_re = re.compile(r'^(not ok|ok)\b(.*)$')

with open(sys.argv[1], encoding='utf-8', errors='replace') as log:
    for line in log:
        entry = json.loads(line)
        result = entry.get('result', '')
        stdout = entry.get('stdout') or ''
        if re.search(r'^(ok|not ok)\b', stdout, re.M):
            cases = bad = 0
            for out in stdout.splitlines():
                m = ok_re.match(out.strip())
                if not m:
                    continue
                cases += 1
                rest = m.group(2)
                if re.search(r'#\s*(skip|todo)', rest, re.I):
                    skipped += 1
                elif m.group(1) == 'ok':
                    passed += 1
                else:
                    failed += 1
                    bad += 1
            # A suite that crashed or timed out before printing a failing
            # line still counts as one failure.
            if result not in ('OK', 'SKIP', 'EXPECTEDFAIL') and bad == 0:
                failed += 1
        else:
            if result == 'OK' or result == 'EXPECTEDFAIL':
                passed += 1
            elif result == 'SKIP':
                skipped += 1
            else:
                failed += 1

print(f'{passed} passed, {failed} failed' + (f', {skipped} skipped' if skipped else ''))
sys.exit(1 if failed else 0)
