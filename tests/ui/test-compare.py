#!/usr/bin/python3
# test-compare.py
#
# Copyright 2026 The Takes authors
#
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Comparing takes: a shot with three ready takes, Compare, three labelled
# cells playing side by side, pick one, save, and the shot has that pick.

import json
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from takes_atspi import (  # noqa: E402
    App, Deadline, Sandbox, Tap, dump, find, find_all, key, log, poll,
    press, quit_app, run_with_deadline, safe, screenshot, select_shot,
)

SHOTS = 'Harbour at dawn, mist on the water\n'


def main():
    run_with_deadline(int(os.environ.get('TAKES_UI_TEST_TIMEOUT', '150')) - 10)
    tap = Tap(7)
    sandbox = Sandbox()
    state = {}
    project = os.path.join(sandbox.work, 'Compare.takes')
    shots = os.path.join(sandbox.work, 'shots.txt')
    app = None

    def make_project():
        with open(shots, 'w') as f:
            f.write(SHOTS)
        r = sandbox.cli('new', project, '--from', shots)
        if r.returncode != 0:
            raise AssertionError(f'takes new: {r.stderr}')
        r = sandbox.cli('render', project, '--backends', 'animatic', '--takes', '3',
                        timeout=120)
        if r.returncode != 0:
            raise AssertionError(f'takes render: {r.stderr}')
        info = json.loads(sandbox.cli('info', project, '--json').stdout)
        takes = info['shots'][0]['takes']
        state['take_ids'] = [t['id'] for t in takes]
        state['picked_before'] = info['shots'][0].get('picked')
        log(f'takes: {state["take_ids"]}, picked: {state["picked_before"]}')
        return len(takes) == 3 and all(t['state'] == 'ready' for t in takes)

    def open_compare():
        nonlocal app
        app = App(sandbox, args=[project]).start()
        app.main_window()
        select_shot(app, 0)
        compare = safe(lambda: app.button('Compare', timeout=10))
        if compare is None:
            return 'no-compare'
        # Select the three takes when the cards can be selected; with
        # nothing selected Compare takes the shot's ready takes anyway.
        for box in find_all(app.node, ('check box', 'toggle button'),
                            name_contains='Select'):
            press(box)
        press(compare)
        state['window'] = app.window(name_contains='Compare Takes')
        return True

    def three_cells():
        w = state['window']
        for title in ('Take A', 'Take B', 'Take C'):
            find(w, 'label', title)
        labels = [n for n in find_all(w, 'label') if 'Animatic' in (safe(n.get_name) or '')]
        log(f'cell details: {[safe(n.get_name) for n in labels]}')
        if len(labels) < 3:
            raise AssertionError('each cell should say which backend made it')
        # and the take D cell does not exist
        return not find_all(w, 'label', 'Take D')

    def transport():
        w = state['window']
        for name in ('Previous Frame', 'Next Frame', 'Loop', 'Position'):
            find(w, name=name)
        # It opened playing: the play button offers to pause
        find(w, 'push button', 'Pause')
        screenshot('compare-01-three-up')
        press(find(w, 'push button', 'Pause'))
        find(w, 'push button', 'Play')
        return True

    def pick():
        w = state['window']
        press(find(w, 'push button', 'Pick Take C'))
        find(w, 'push button', 'Take C Is Picked')
        screenshot('compare-02-picked')
        return True

    def saved_pick():
        app.focus_window()
        key('Escape')
        poll(lambda: not [x for x in app.windows()
                          if 'Compare Takes' in (safe(x.get_name) or '')],
             10, what='the compare window to close')
        app.focus_window()
        key('s', 'ctrl')

        def picked():
            info = json.loads(sandbox.cli('info', project, '--json').stdout)
            return info['shots'][0].get('picked') == state['take_ids'][2]
        return poll(picked, 10, what='the pick to be saved')

    try:
        tap.check('a project with three ready takes of a shot', make_project)
        result = None
        try:
            result = open_compare()
        except Exception as e:  # noqa: BLE001
            log(f'{type(e).__name__}: {e}')
            if app is not None:
                log(app.output())
            tap.ok(False, 'Compare opens the compare window', str(e)[:200])
            tap.fail_rest('no compare window')
        if result == 'no-compare':
            # The take gallery has no Compare button yet.
            tap.skip('Compare opens the compare window', 'no Compare button in the take gallery')
            tap.skip_rest('no Compare button in the take gallery')
        elif result:
            tap.ok(True, 'Compare opens the compare window')
            ok = tap.check('three labelled cells, each naming its backend', three_cells)
            if not ok:
                dump(state['window'])
            tap.check('shared transport, playing in a loop', transport)
            tap.check('Pick marks the take as picked', pick)
            tap.check('the pick is saved in the shot', saved_pick)
            tap.check('the app quits cleanly', lambda: quit_app(app) == 0)
    except Deadline as e:
        log(str(e))
        tap.fail_rest(str(e))
    finally:
        if app is not None:
            app.stop()
        sandbox.cleanup()
    tap.exit()


if __name__ == '__main__':
    main()
