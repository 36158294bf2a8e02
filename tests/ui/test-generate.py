#!/usr/bin/python3
# test-generate.py
#
# Copyright 2026 The Takes authors
#
# SPDX-License-Identifier: GPL-3.0-or-later
#
# The main job on a fresh machine: open a project with one shot, press
# Generate with the offline animatic ticked, and find the take's card
# reading "Ready", with its clip in the project's media folder.

import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from takes_atspi import (  # noqa: E402
    App, Atspi, Deadline, Sandbox, Tap, dump, find, log, name_of, normalize_name,
    poll, press, role_of, run_with_deadline, screenshot, states_of,
)

PROMPT = 'A trawler leaves the harbour at dawn, gulls overhead'


def sensitive(node):
    s = states_of(node)
    return s is not None and s.contains(Atspi.StateType.SENSITIVE)


def take_card(app, word):
    """A take card whose spoken name holds @word ("Take 1, Animatic …, Ready, …")."""
    def is_card(node):
        n = normalize_name(name_of(node))
        return n.startswith('Take ') and word in n and role_of(node) != 'push button'
    return app.find(pred=is_card, timeout=5)


def main():
    run_with_deadline(int(os.environ.get('TAKES_UI_TEST_TIMEOUT', '150')) - 10)
    tap = Tap(5)
    sandbox = Sandbox()
    app = None
    state = {}

    def create_project():
        shots = os.path.join(sandbox.work, 'shots.csv')
        with open(shots, 'w') as f:
            # One short shot keeps the offline render quick.
            f.write('title,prompt,duration\n')
            f.write(f'Departure,"{PROMPT}",1\n')
        path = os.path.join(sandbox.work, 'Harbour.takes')
        proc = sandbox.cli('new', path, '--title', 'Harbour', '--from', shots)
        if proc.returncode != 0:
            raise AssertionError(f'takes new failed ({proc.returncode}): {proc.stderr}')
        state['file'] = path
        return os.path.exists(path)

    def open_window():
        nonlocal app
        app = App(sandbox, args=[state['file']]).start()
        w = app.main_window()
        state['button'] = find(w, 'push button', 'Generate', timeout=30)
        find(w, 'check box', name_contains='Animatic')
        poll(lambda: sensitive(state['button']), 10, what='"Generate" to be enabled')
        return True

    def generate_ready():
        screenshot('generate-01-before')
        press(state['button'])

        def ready():
            try:
                return take_card(app, 'Ready')
            except Exception:
                return None
        card = poll(ready, 90, what='a take card reading "Ready"')
        log(f'card: {name_of(card)!r}')
        screenshot('generate-02-ready')
        state['card'] = name_of(card)
        return True

    def card_names_backend():
        return 'Animatic' in state['card'] and 'second' in state['card']

    def clip_in_media_folder():
        media = os.path.join(sandbox.work, 'Harbour.media')
        clips = [f for f in os.listdir(media) if f.endswith('.mp4')] if os.path.isdir(media) else []
        log(f'media folder: {clips!r}')
        return len(clips) >= 1

    try:
        tap.check('takes new makes a project with one shot', create_project)
        ok = tap.check('the window opens on the project with Generate', open_window)
        if ok:
            if not tap.check('pressing Generate makes a take card that reaches "Ready"',
                             generate_ready) and app.alive():
                dump(app.main_window())
            tap.check('the ready card names its backend and length', card_names_backend)
            tap.check('the clip is in the media folder', clip_in_media_folder)
        tap.fail_rest('an earlier step failed')
    except Deadline as e:
        log(str(e))
        tap.fail_rest(str(e))
    finally:
        if app is not None:
            if app.proc is not None and app.proc.poll() not in (None, 0):
                log(app.output())
            app.stop()
        sandbox.cleanup()
    tap.exit()


if __name__ == '__main__':
    main()
