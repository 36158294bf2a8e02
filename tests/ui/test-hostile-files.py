#!/usr/bin/python3
# test-hostile-files.py
#
# Copyright 2026 The Takes authors
#
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Opening a broken or hostile project file must end in an error dialog that
# names the problem — never in a crash or a hang. Each file is given on the
# command line, as a file manager would.

import json
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from takes_atspi import (  # noqa: E402
    App, Deadline, Sandbox, Tap, error_dialog, find, key, log, poll, press,
    run_with_deadline, safe, screenshot, role_of,
)


def wrong_type_project(sandbox):
    """A project that is right in every way but one: a shot's duration is
    a string. Made by `takes new` so only that field is wrong; written by
    hand when the command line cannot help."""
    path = os.path.join(sandbox.work, 'Wrong Type.takes')
    shotlist = os.path.join(sandbox.work, 'shots.txt')
    with open(shotlist, 'w') as f:
        f.write('A lighthouse in a storm\nWaves on the rocks\n')
    base = None
    proc = sandbox.cli('new', path, '--title', 'Wrong Type', '--from', shotlist)
    if proc.returncode == 0:
        with open(path, encoding='utf-8') as f:
            base = json.load(f)
    else:
        log(f'takes new failed ({proc.returncode}): {proc.stderr.strip()}; writing by hand')
    if not base or not base.get('shots'):
        base = {
            'format': 'takes-project',
            'version': 1,
            'title': 'Wrong Type',
            'shots': [{'id': 's-1', 'prompt': 'A lighthouse in a storm', 'duration': 5.0}],
        }
    base['shots'][0]['duration'] = 'five seconds'
    with open(path, 'w', encoding='utf-8') as f:
        json.dump(base, f)
    return path


def deep_project(sandbox):
    path = os.path.join(sandbox.work, 'Deep.takes')
    with open(path, 'w') as f:
        f.write('[' * 100000)
    return path


def main():
    run_with_deadline(int(os.environ.get('TAKES_UI_TEST_TIMEOUT', '150')) - 10)
    cases = [
        # (what, make the file, words one of which the message must hold)
        ('100 000 nested brackets', deep_project,
         ('Deep.takes',), ('nest', 'deep', 'depth', 'large', 'too')),
        ('a wrong field type', wrong_type_project,
         ('Wrong Type.takes',), ('duration',)),
    ]
    tap = Tap(len(cases) * 4)
    sandbox = Sandbox()
    try:
        for what, make, names, words in cases:
            path = make(sandbox)
            app = App(sandbox, [path])
            state = {}

            def shows_error():
                app.start()
                dialog, text = error_dialog(app)
                state['dialog'] = dialog
                log(f'dialog ({role_of(dialog)}): {text!r}')
                screenshot('hostile-' + os.path.basename(path).replace(' ', '-').lower())
                state['text'] = text

            def names_file():
                text = state.get('text', '')
                if not any(n in text for n in names):
                    raise AssertionError(f'the message does not name {names[0]!r}')

            def names_problem():
                text = state.get('text', '').lower()
                if not any(w.lower() in text for w in words):
                    raise AssertionError(f'the message names none of {words!r}')

            def survives():
                dialog = state.get('dialog')
                if dialog is None:
                    raise AssertionError('no dialog to close')
                button = safe(lambda: find(dialog, 'push button', timeout=5))
                if button is not None:
                    press(button)
                else:
                    key('Escape')
                if not app.alive():
                    raise AssertionError(f'takes exited: {app.proc.returncode}\n{app.output()}')
                # Still usable: the welcome page answers.
                app.button('New Project', timeout=10)
                poll(app.alive, 2, what='takes to keep running')

            try:
                tap.check(f'{what}: an error dialog appears', shows_error)
                tap.check(f'{what}: the message names the file', names_file)
                tap.check(f'{what}: the message names the problem', names_problem)
                tap.check(f'{what}: closing it leaves Takes running', survives)
            finally:
                app.stop()
    except Deadline as e:
        log(str(e))
        tap.fail_rest(str(e))
    finally:
        sandbox.cleanup()
    tap.exit()


if __name__ == '__main__':
    main()
