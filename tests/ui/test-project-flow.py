#!/usr/bin/python3
# test-project-flow.py
#
# Copyright 2026 The Takes authors
#
# SPDX-License-Identifier: GPL-3.0-or-later
#
# A filmmaker's first session: create a project from the welcome page, add
# three shots, write their prompts, reorder, undo and redo, save, quit,
# reopen the file and find every prompt in its place.

import json
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from takes_atspi import (  # noqa: E402
    App, Atspi, Deadline, Sandbox, Tap, dump, find, find_field,
    key, log, order_of, poll, press, quit_app, read_text, run_with_deadline,
    screenshot, select_shot, set_text, shot_names, type_text, wait_shots,
)

TITLE = 'Harbour Film'
PROMPTS = [
    'Harbour at dawn, mist on the water',
    'Gulls circle the masts',
    'A trawler leaves the quay',
]


def main():
    run_with_deadline(int(os.environ.get('TAKES_UI_TEST_TIMEOUT', '150')) - 10)
    tap = Tap(14)
    sandbox = Sandbox()
    # Settings in a key file inside the sandbox, so that the recent
    # projects outlive each run of the app (the memory backend forgets).
    settings = {'GSETTINGS_BACKEND': 'keyfile'}
    app = App(sandbox, extra_env=settings)
    state = {}

    def welcome():
        app.start()
        w = app.main_window()
        for name in ('New Project', 'Open Project…', 'Open Demo Film'):
            find(w, 'push button', name)
        screenshot('flow-01-welcome')

    def create_project():
        app.press('New Project')
        dialog = app.window(name='New Project')
        set_text(find_field(dialog, 'Title'), TITLE)
        create = find(dialog, 'push button', 'Create')
        # Create turns sensitive once there is a title (and a folder).
        poll(lambda: create.get_state_set().contains(Atspi.StateType.SENSITIVE),
             10, what='"Create" to be enabled')
        screenshot('flow-02-new-project')
        press(create)
        app.button('Add Shot')
        files = poll(sandbox.projects, 10, what='the new .takes file')
        state['file'] = files[0]
        log(f'project file: {state["file"]}')
        return os.path.basename(state['file']).startswith(TITLE)

    def add_shots():
        before = len(shot_names(app))
        state['first'] = before
        for i, prompt in enumerate(PROMPTS):
            app.press('Add Shot')
            wait_shots(app, lambda names, n=before + i + 1: len(names) == n,
                       f'{before + i + 1} rows')
            # The new shot is selected and its editor shown: write its prompt.
            field = app.field('Prompt')
            type_text(field, prompt)
            poll(lambda: read_text(field) == prompt, 5, what='the prompt to be typed')
            wait_shots(app, lambda names, p=prompt: any(p[:15] in n for n in names),
                       f'a row showing {prompt!r}')
        log(f'rows: {shot_names(app)}')
        return len(shot_names(app)) == before + 3

    def prompts_in_rows():
        names = wait_shots(app, lambda n: order_of(n, PROMPTS) == PROMPTS,
                           'the prompts in the order typed')
        screenshot('flow-03-three-shots')
        return bool(names)

    def move_down():
        select_shot(app, state['first'])
        app.press('Move Shot Down')
        wait_shots(app, lambda n: order_of(n, PROMPTS) == [PROMPTS[1], PROMPTS[0], PROMPTS[2]],
                   'the first new shot one place down')

    def undo_move():
        app.press('Undo')
        wait_shots(app, lambda n: order_of(n, PROMPTS) == PROMPTS, 'the order back after Undo')

    def redo_move():
        app.press('Redo')
        wait_shots(app, lambda n: order_of(n, PROMPTS) == [PROMPTS[1], PROMPTS[0], PROMPTS[2]],
                   'the move again after Redo')
        app.press('Undo')
        wait_shots(app, lambda n: order_of(n, PROMPTS) == PROMPTS, 'the order back after Undo')

    def keyboard_move():
        select_shot(app, state['first'] + 1)
        app.focus_window()
        key('Down', 'alt')
        wait_shots(app, lambda n: order_of(n, PROMPTS) == [PROMPTS[0], PROMPTS[2], PROMPTS[1]],
                   'Alt+Down to move the second new shot down')
        key('z', 'ctrl')
        wait_shots(app, lambda n: order_of(n, PROMPTS) == PROMPTS, 'Ctrl+Z to undo the move')

    def save():
        path = state['file']
        before = os.path.getmtime(path)
        app.focus_window()
        key('s', 'ctrl')
        poll(lambda: os.path.getmtime(path) != before, 10, what='Ctrl+S to write the file')
        with open(path, encoding='utf-8') as f:
            text = f.read()
        screenshot('flow-04-saved')
        missing = [p for p in PROMPTS if json.dumps(p)[1:-1] not in text]
        if missing:
            raise AssertionError(f'saved file lacks {missing!r}')

    def quit_():
        status = quit_app(app)
        if status != 0:
            raise AssertionError(f'takes exited with {status}\n{app.output()}')

    def reopen():
        state['app2'] = app2 = App(sandbox, [state['file']], extra_env=settings).start()
        app2.button('Add Shot')
        wait_shots(app2, lambda n: order_of(n, PROMPTS) == PROMPTS,
                   'the reopened project to list the prompts in order')
        screenshot('flow-05-reopened')

    def prompt_in_editor():
        app2 = state['app2']
        for offset, prompt in enumerate(PROMPTS):
            select_shot(app2, state['first'] + offset)
            field = app2.field('Prompt')
            poll(lambda p=prompt: read_text(field) == p, 10,
                 what=f'the editor to show {prompt!r}')

    def cli_info():
        proc = sandbox.cli('info', state['file'], '--json')
        if proc.returncode != 0:
            raise AssertionError(f'takes info exited {proc.returncode}: {proc.stderr.strip()}')
        info = json.loads(proc.stdout)
        prompts = [s.get('prompt') for s in info['shots'] if s.get('prompt')]
        log(f'takes info prompts: {prompts!r}')
        if prompts != PROMPTS:
            raise AssertionError(f'takes info lists {prompts!r}')
        return info.get('title') == TITLE

    def recent():
        app2 = state['app2']
        status = quit_app(app2)
        if status != 0:
            raise AssertionError(f'the reopened takes exited with {status}')
        state['app3'] = app3 = App(sandbox, extra_env=settings).start()
        recents = app3.find('list', 'Recent Projects')
        row = find(recents, 'list item', name_contains=TITLE)
        screenshot('flow-06-recent')
        return row is not None

    try:
        steps = [
            ('the welcome page offers New Project, Open Project…, Open Demo Film', welcome),
            ('New Project dialog creates the project file', create_project),
            ('Add Shot three times, a prompt typed into each', add_shots),
            ('the rows show the prompts in order', prompts_in_rows),
            ('Move Shot Down moves the selected shot', move_down),
            ('Undo brings the order back', undo_move),
            ('Redo moves it again and Undo restores it', redo_move),
            ('Alt+Down moves a shot and Ctrl+Z undoes it', keyboard_move),
            ('Ctrl+S saves the prompts to the file', save),
            ('Ctrl+Q quits cleanly', quit_),
            ('reopening the file lists the prompts in order', reopen),
            ('the editor shows each shot\'s prompt', prompt_in_editor),
            ('takes info --json lists the prompts in order', cli_info),
            ('the welcome page lists the project under Recent Projects', recent),
        ]
        for name, fn in steps:
            if not tap.check(name, fn) and name.startswith(('welcome', 'New Project')):
                if app.node is not None and app.alive():
                    dump(app.main_window())
                break
        tap.fail_rest('an earlier step failed')
    except Deadline as e:
        log(str(e))
        tap.fail_rest(str(e))
    finally:
        for a in (app, state.get('app2'), state.get('app3')):
            if a is not None:
                if a.proc is not None and a.proc.poll() not in (None, 0):
                    log(a.output())
                a.stop()
        sandbox.cleanup()
    tap.exit()


if __name__ == '__main__':
    main()
