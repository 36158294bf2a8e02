#!/usr/bin/python3
# temporary screenshot driver (not part of the suite)
import json, os, sys, time
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from takes_atspi import (App, Sandbox, find, find_all, key, log, poll, press, safe,
                         screenshot, select_shot, dump)
import gi
gi.require_version('Atspi', '2.0')
from gi.repository import Atspi

LOCALE = os.environ.get('SHOT_LOCALE', '')
tag = 'ar' if LOCALE.startswith('ar') else 'en'
extra = {'LC_ALL': LOCALE, 'LANG': LOCALE, 'LANGUAGE': 'ar'} if LOCALE else None

sandbox = Sandbox()
project = os.path.join(sandbox.work, 'Film.takes')
shots = os.path.join(sandbox.work, 'shots.csv')
with open(shots, 'w') as f:
    f.write('title,prompt,duration,aspect\nHarbour,"Harbour at dawn, mist on the water",1,16:9\n'
            'Gull,"A gull takes off from a post",1,9:16\n')
print(sandbox.cli('new', project, '--from', shots).stderr)
r = sandbox.cli('render', project, '--backends', 'animatic', '--takes', '3', '--shots', '1', timeout=200)
print(r.returncode, r.stderr[-300:])
r = sandbox.cli('render', project, '--backends', 'animatic', '--takes', '1', '--shots', '2', timeout=200)
print(r.returncode, r.stderr[-300:])
app = App(sandbox, args=[project], extra_env=extra).start()
try:
    w = app.main_window()
    select_shot(app, 0)
    time.sleep(2)
    pass
finally:
    pass

def buttons():
    return [safe(n.get_name) for n in find_all(app.node, 'push button')]

def named(prefix):
    return [n for n in find_all(app.node, 'push button') if (safe(n.get_name) or '').startswith(prefix)]

SELECT = os.environ.get('SELECT_PREFIX', 'Select Take')
PLAY = os.environ.get('PLAY_NAME', 'Play Take')
try:
    for b in named(SELECT)[:2]:
        press(b)
    time.sleep(0.5)
    screenshot(f'wire-{tag}-01-selected')
    plays = named(PLAY)
    log(f'play buttons: {len(plays)}')
    press(plays[1])
    time.sleep(1.5)
    screenshot(f'wire-{tag}-02-player-playing')
    key(' ')
    time.sleep(0.5)
    screenshot(f'wire-{tag}-03-player-paused')
    select_shot(app, 1)
    time.sleep(2)
    p = named(PLAY)
    if p:
        press(p[0])
    time.sleep(1.5)
    screenshot(f'wire-{tag}-04-vertical-shot')
    select_shot(app, 0)
    time.sleep(1)
    app.focus_window()
    key('k', 'ctrl')
    time.sleep(3)
    screenshot(f'wire-{tag}-05-compare')
finally:
    app.stop()
    sandbox.cleanup()
