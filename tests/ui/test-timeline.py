#!/usr/bin/python3
# test-timeline.py
#
# Copyright 2026 The Takes authors
#
# SPDX-License-Identifier: GPL-3.0-or-later
#
# The cut: a project with two ready shots, reorder them on the timeline
# (select the first clip, "Move Clip Later"), save, export with Ctrl+E,
# wait for the finished announcement and find the video and the files
# for other editors next to it.

import json
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from takes_atspi import (  # noqa: E402
    App, Deadline, Sandbox, Tap, click, dump, find, find_all, key, log, poll,
    press, quit_app, role_of, run_with_deadline, safe, screenshot,
)

# One-second takes keep the render and the export quick
SHOTS = 'title,prompt,duration\nHarbour,Harbour at dawn,1\nGull,A gull takes off,1\n'

# Where the first clip is drawn inside the timeline widget (its padding
# and the ruler above the video track)
CLIP_X = 30
CLIP_Y = 60


def description_of(node):
    return safe(node.get_description, '') or ''


def main():
    run_with_deadline(int(os.environ.get('TAKES_UI_TEST_TIMEOUT', '170')) - 10)
    tap = Tap(9)
    sandbox = Sandbox()
    state = {}
    project = os.path.join(sandbox.work, 'Film.takes')
    shots = os.path.join(sandbox.work, 'shots.csv')
    video = os.path.join(sandbox.work, 'Film.mp4')
    app = None

    def info():
        return json.loads(sandbox.cli('info', project, '--json').stdout)

    def make_project():
        with open(shots, 'w') as f:
            f.write(SHOTS)
        r = sandbox.cli('new', project, '--title', 'Film', '--from', shots,
                        '--size', '640x360', '--fps', '24')
        if r.returncode != 0:
            raise AssertionError(f'takes new: {r.stderr}')
        r = sandbox.cli('render', project, '--backends', 'animatic', timeout=120)
        if r.returncode != 0:
            raise AssertionError(f'takes render: {r.stderr}')
        titles = [s['title'] for s in info()['shots']]
        log(f'shots: {titles}')
        return titles == ['Harbour', 'Gull']

    def timeline_shows_clips():
        nonlocal app
        app = App(sandbox, args=[project]).start()
        app.main_window()
        state['timeline'] = poll(
            lambda: find_all(app.node, name='Timeline',
                             pred=lambda n: role_of(n) != 'label') or None,
            20, what='the timeline')[0]
        poll(lambda: '2 shots' in description_of(state['timeline']), 30,
             what='the timeline to lay out two clips')
        for name in ('Move Clip Earlier', 'Move Clip Later', 'Zoom In', 'Zoom Out'):
            find(app.node, 'push button', name)
        screenshot('timeline-00-opened')
        return True

    def select_first_clip():
        comp = state['timeline'].get_component_iface()
        ext = comp.get_extents(0)   # ATSPI_COORD_TYPE_SCREEN
        log(f'timeline at {ext.x},{ext.y} {ext.width}x{ext.height}')
        click(ext.x + CLIP_X, ext.y + CLIP_Y)
        poll(lambda: 'Harbour' in description_of(state['timeline'])
             and 'selected' in description_of(state['timeline']), 10,
             what='the first clip to be selected')
        log(description_of(state['timeline']))
        return True

    def move_later():
        press(find(app.node, 'push button', 'Move Clip Later'))
        poll(lambda: description_of(state['timeline']).startswith('Shot 2'), 20,
             what='the selected clip to be second')
        screenshot('timeline-01-reordered')
        app.focus_window()
        key('s', 'ctrl')
        return poll(lambda: [s['title'] for s in info()['shots']] == ['Gull', 'Harbour'],
                    10, what='the new order to be saved')

    def undo_and_redo():
        app.focus_window()
        key('z', 'ctrl')
        poll(lambda: description_of(state['timeline']).startswith('Shot 1'), 20,
             what='undo to put the clip back')
        key('z', 'ctrl', 'shift')
        poll(lambda: description_of(state['timeline']).startswith('Shot 2'), 20,
             what='redo to move it again')
        key('s', 'ctrl')
        return poll(lambda: [s['title'] for s in info()['shots']] == ['Gull', 'Harbour'],
                    10, what='the order after redo to be saved')

    def open_export():
        app.focus_window()
        key('e', 'ctrl')
        state['dialog'] = app.window(name_contains='Export Film', timeout=20)
        for label in ('Format', 'Size', 'Frame Rate'):
            find(state['dialog'], name_contains=label)
        find(state['dialog'], 'check box', name_contains='OpenTimelineIO')
        find(state['dialog'], 'check box', name_contains='Pitivi')
        screenshot('timeline-02-export-dialog')
        return True

    def export():
        if os.path.exists(video):
            raise AssertionError('the video exists before the export')
        press(find(state['dialog'], 'push button', 'Export'))
        poll(lambda: find_all(state['dialog'], name_contains='Exported “Film.mp4”') or None,
             120, what='the export to finish')
        screenshot('timeline-03-exported')
        find(state['dialog'], 'push button', 'Open')
        find(state['dialog'], 'push button', 'Show in Folder')
        return True

    def files_written():
        for path in (video, os.path.join(sandbox.work, 'Film.otio'),
                     os.path.join(sandbox.work, 'Film.xges')):
            if not os.path.exists(path) or os.path.getsize(path) == 0:
                raise AssertionError(f'missing {path}: {os.listdir(sandbox.work)}')
        leftovers = [n for n in os.listdir(sandbox.work) if n.endswith('.part')]
        if leftovers:
            raise AssertionError(f'partial files left behind: {leftovers}')
        with open(os.path.join(sandbox.work, 'Film.otio')) as f:
            otio = json.load(f)
        names = []

        def clips(node):
            if isinstance(node, dict):
                if node.get('OTIO_SCHEMA', '').startswith('Clip'):
                    names.append(node.get('name'))
                for v in node.values():
                    clips(v)
            elif isinstance(node, list):
                for v in node:
                    clips(v)
        clips(otio)
        log(f'otio clips: {names}')
        first = next((n for n in names if n), '')
        return 'Gull' in first

    try:
        tap.check('a project with two ready shots', make_project)
        if not tap.check('the timeline shows a clip per shot', timeline_shows_clips):
            if app is not None:
                log(app.output())
                dump(app.main_window())
            tap.fail_rest('no timeline')
        else:
            if not tap.check('clicking a clip selects it', select_first_clip):
                dump(state['timeline'])
            tap.check('Move Clip Later reorders the shots (saved)', move_later)
            tap.check('undo and redo the reorder', undo_and_redo)
            if not tap.check('Ctrl+E opens the export dialog', open_export):
                log(app.output())
                tap.fail_rest('no export dialog')
            else:
                if not tap.check('the export finishes and says so', export):
                    dump(state['dialog'])
                    log(app.output())
                tap.check('the video, .otio and .xges are next to the project', files_written)
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
