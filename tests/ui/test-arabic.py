#!/usr/bin/python3
# test-arabic.py
#
# Copyright 2026 The Takes authors
#
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Takes in Arabic: the welcome page and a project window come up right to
# left, and screenshots of both are kept for a person to judge.

import os
import re
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from takes_atspi import (  # noqa: E402
    App, Atspi, Deadline, Sandbox, Tap, children, log, poll, role_of,
    run_with_deadline, safe, screenshot, shot_items, shot_list, walk,
    window_text, is_showing,
)

LOCALE = 'ar_EG.UTF-8'
ARABIC = re.compile('[\u0600-\u06ff]')
PROMPTS = [
    'الميناء عند الفجر',
    'النوارس فوق الصواري',
    'سفينة صيد تغادر الرصيف',
]


def have_locale():
    try:
        out = subprocess.run(['locale', '-a'], capture_output=True, text=True,
                             timeout=10).stdout
    except (OSError, subprocess.SubprocessError):
        return False
    names = {n.strip().lower().replace('-', '') for n in out.splitlines()}
    return 'ar_eg.utf8' in names


def translations_installed():
    """Where the app finds its catalogue: $TAKES_LOCALEDIR, the build
    folder's po/ when run from there, else LOCALEDIR (from config.h)."""
    dirs = []
    if os.environ.get('TAKES_LOCALEDIR'):
        dirs.append(os.environ['TAKES_LOCALEDIR'])
    build = os.environ.get('TAKES_BUILD_DIR')
    if build:
        dirs.append(os.path.join(build, 'po'))
        try:
            with open(os.path.join(build, 'config.h')) as f:
                m = re.search(r'#define LOCALEDIR "([^"]*)"', f.read())
            if m:
                dirs.append(m.group(1))
        except OSError:
            pass
    return any(os.path.exists(os.path.join(d, 'ar', 'LC_MESSAGES', 'takes.mo'))
               for d in dirs)


def extents(node):
    comp = safe(node.get_component_iface)
    if comp is None:
        return None
    ext = safe(lambda: comp.get_extents(Atspi.CoordType.WINDOW))
    if ext is None or ext.width <= 0:
        return None
    return ext


def main():
    run_with_deadline(int(os.environ.get('TAKES_UI_TEST_TIMEOUT', '150')) - 10)
    tap = Tap(5)
    if not have_locale():
        tap.skip_rest(f'{LOCALE} is not generated here (locale -a)')
        tap.exit()

    sandbox = Sandbox()
    arabic = {'LC_ALL': LOCALE, 'LANG': LOCALE, 'LANGUAGE': 'ar'}
    apps = []
    state = {}

    def welcome():
        app = App(sandbox, extra_env=arabic).start()
        apps.append(app)
        w = app.main_window()
        poll(lambda: [n for n in walk(w) if role_of(n) == 'push button' and is_showing(n)],
             20, what='the welcome page buttons')
        state['welcome_text'] = window_text(w)
        screenshot('arabic-01-welcome')
        app.stop()

    def welcome_in_arabic():
        text = state.get('welcome_text', '')
        log(f'welcome text: {text[:300]!r}')
        if not ARABIC.search(text):
            raise AssertionError('no Arabic text on the welcome page')
        english = [e for e in ('New Project', 'Open Project…', 'Open Demo Film') if e in text]
        if english:
            raise AssertionError(f'still in English: {english!r}')

    def project_view():
        path = os.path.join(sandbox.work, 'فيلم الميناء.takes')
        shotlist = os.path.join(sandbox.work, 'لقطات.txt')
        with open(shotlist, 'w', encoding='utf-8') as f:
            f.write('\n'.join(PROMPTS) + '\n')
        proc = sandbox.cli('new', path, '--title', 'فيلم الميناء', '--from', shotlist,
                           extra_env=arabic)
        if proc.returncode != 0:
            raise AssertionError(f'takes new exited {proc.returncode}: {proc.stderr.strip()}')
        app = App(sandbox, [path], extra_env=arabic).start()
        apps.append(app)
        state['app'] = app
        poll(lambda: len(shot_items(app)) >= len(PROMPTS), 20, what='the shot rows')
        names = [safe(i.get_name, '') for i in shot_items(app)]
        log(f'rows: {names!r}')
        screenshot('arabic-02-project')
        missing = [p for p in PROMPTS if not any(p in n for n in names)]
        if missing:
            raise AssertionError(f'rows do not show {missing!r}')

    def right_to_left():
        app = state.get('app')
        if app is None:
            raise AssertionError('no project window')
        lst = extents(shot_list(app))
        editor = None
        for n in walk(app.main_window()):
            if role_of(n) == 'text' and safe(n.get_editable_text_iface) is not None \
                    and n not in children(shot_list(app)):
                editor = extents(n)
                if editor is not None:
                    break
        if lst is None or editor is None:
            return None
        log(f'shot list x={lst.x}, editor field x={editor.x}')
        if not lst.x > editor.x:
            raise AssertionError('the shot list is not on the right of the editor')
        return True

    try:
        tap.ok(True, f'{LOCALE} is available')
        tap.check('the welcome page opens in Arabic', welcome)
        if translations_installed():
            tap.check('the welcome page speaks Arabic', welcome_in_arabic)
        else:
            tap.skip('the welcome page speaks Arabic', 'translations are not installed in LOCALEDIR')
        tap.check('a project with Arabic prompts opens and lists them', project_view)
        try:
            result = right_to_left()
        except Exception as e:  # noqa: BLE001
            tap.ok(False, 'the shot list sits on the right (right to left)', str(e))
        else:
            if result is None:
                tap.skip('the shot list sits on the right (right to left)',
                         'no positions over AT-SPI')
            else:
                tap.ok(True, 'the shot list sits on the right (right to left)')
    except Deadline as e:
        log(str(e))
    finally:
        for a in apps:
            a.stop()
        sandbox.cleanup()
    tap.exit()


if __name__ == '__main__':
    main()
