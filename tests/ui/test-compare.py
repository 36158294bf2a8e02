#!/usr/bin/python3
# test-compare.py
#
# Copyright 2026 The Takes authors
#
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Comparing takes: a shot with three ready takes, select them in the
# gallery, Compare, three labelled cells playing side by side, pick one,
# close, save, and the shot has that pick, in the file and on its card.

import json
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from takes_atspi import (  # noqa: E402
    App, Deadline, Sandbox, Tap, dump, find, find_all, key, log, poll,
    press, quit_app, run_with_deadline, safe, screenshot, select_shot,
)

# One-second takes keep the render quick
SHOTS = 'title,prompt,duration\nHarbour,"Harbour at dawn, mist on the water",1\n'


def main():
    run_with_deadline(int(os.environ.get('TAKES_UI_TEST_TIMEOUT', '150')) - 10)
    tap = Tap(10)
    sandbox = Sandbox()
    state = {}
    project = os.path.join(sandbox.work, 'Compare.takes')
    shots = os.path.join(sandbox.work, 'shots.csv')
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
        compare = app.button('Compare', timeout=20)
        return compare

    def select_takes():
        # The three cards' Select toggles, one per take
        boxes = poll(lambda: find_all(app.node, ('push button', 'toggle button', 'check box'),
                                      name_contains='Select Take') or None,
                     20, what='the cards\' Select toggles')
        names = sorted(safe(b.get_name) for b in boxes)
        log(f'select toggles: {names}')
        if names != ['Select Take 1', 'Select Take 2', 'Select Take 3']:
            raise AssertionError(f'expected a Select toggle per take, got {names}')
        for box in boxes:
            press(box)
        poll(lambda: find_all(app.node, 'label', name_contains='3 selected') or None,
             10, what='the gallery to say 3 selected')
        screenshot('compare-00-selected')
        return True

    def press_compare():
        press(app.button('Compare'))
        state['window'] = app.window(name_contains='Compare Takes', timeout=20)
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

    def picked_card():
        # The third card says so, to the eye (the badge) and to a screen
        # reader (its name); the others do not.
        cards = {}
        for n in find_all(app.node, name_contains='Take '):
            name = safe(n.get_name) or ''
            for i in (1, 2, 3):
                if name.startswith(f'Take {i},'):
                    cards[i] = n
        log(f'cards: {[safe(c.get_name) for c in cards.values()]}')
        if sorted(cards) != [1, 2, 3]:
            raise AssertionError('expected three take cards')
        if not safe(cards[3].get_name, '').endswith('picked'):
            raise AssertionError(f'card 3 is not picked: {safe(cards[3].get_name)!r}')
        for i in (1, 2):
            if safe(cards[i].get_name, '').endswith('picked'):
                raise AssertionError(f'card {i} is still picked: {safe(cards[i].get_name)!r}')
        find(cards[3], 'label', 'Picked')
        screenshot('compare-03-picked-card')
        return True

    try:
        tap.check('a project with three ready takes of a shot', make_project)
        if not tap.check('the take gallery has a Compare button', open_compare):
            if app is not None:
                log(app.output())
            tap.fail_rest('no Compare button in the take gallery')
        else:
            tap.check('the three takes can be selected', select_takes)
            if not tap.check('Compare opens the compare window', press_compare):
                log(app.output())
                tap.fail_rest('no compare window')
            else:
                ok = tap.check('three labelled cells, each naming its backend', three_cells)
                if not ok:
                    dump(state['window'])
                tap.check('shared transport, playing in a loop', transport)
                tap.check('Pick marks the take as picked', pick)
                tap.check('the pick is saved in the shot', saved_pick)
                tap.check('the card shows the pick', picked_card)
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
