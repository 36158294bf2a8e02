#!/usr/bin/python3
# test-shortcuts.py
#
# Copyright 2026 The Takes authors
#
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Ctrl+? opens the keyboard shortcuts window, which lists the frequent
# actions, and Escape closes it again.

import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from takes_atspi import (  # noqa: E402
    App, Deadline, Sandbox, Tap, key, log, poll, role_of, name_of,
    run_with_deadline, screenshot, window_text, is_showing,
)

EXPECTED = ('Save', 'Undo', 'Redo', 'Add a shot', 'Move the selected shot down')


def main():
    run_with_deadline(int(os.environ.get('TAKES_UI_TEST_TIMEOUT', '150')) - 10)
    tap = Tap(3)
    sandbox = Sandbox()
    app = App(sandbox)
    state = {}

    def shortcuts_window():
        for w in app.windows():
            if role_of(w) != 'frame' or name_of(w) in ('Takes', ''):
                continue
            if is_showing(w) and ('Shortcuts' in name_of(w) or 'Shortcuts' in window_text(w)):
                return w
        return None

    def opens():
        app.start()
        app.button('New Project')
        app.focus_window()
        key('question', 'ctrl')
        state['win'] = poll(shortcuts_window, 10, what='the shortcuts window')
        log(f'shortcuts window: {name_of(state["win"])!r}')
        screenshot('shortcuts-window')

    def lists_actions():
        text = window_text(state['win'])
        missing = [e for e in EXPECTED if e not in text]
        if missing:
            raise AssertionError(f'the shortcuts window does not list {missing!r}')

    def closes():
        key('Escape')
        poll(lambda: shortcuts_window() is None, 10, what='the shortcuts window to close')
        if not app.alive():
            raise AssertionError('takes exited')

    try:
        if tap.check('Ctrl+? opens the shortcuts window', opens):
            tap.check('it lists ' + ', '.join(EXPECTED), lists_actions)
            tap.check('Escape closes it', closes)
    except Deadline as e:
        log(str(e))
    finally:
        app.stop()
        sandbox.cleanup()
    tap.exit()


if __name__ == '__main__':
    main()
