#!/usr/bin/python3
# test-preferences.py
#
# Copyright 2026 The Takes authors
#
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Preferences → Generators: a filmmaker enters the key and endpoint of a
# Sora-compatible server, presses "Test Sora-compatible" and reads
# "Connected"; a wrong key reads as a rejection; the key is in no file
# under the test's HOME and XDG folders (the keyring file is encrypted).
# The server is a small fake on 127.0.0.1 with the OpenAI list and error
# shapes, for GET /models and GET /videos.

import http.server
import json
import os
import sys
import threading

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from takes_atspi import (  # noqa: E402
    App, Deadline, Sandbox, Tap, find, find_all, key, log, name_of, poll, press,
    read_text, role_of, run_with_deadline, safe, screenshot, set_text, walk,
    is_editable, is_showing,
)

GOOD_KEY = 'sk-canary-Pq8Lw3Xv7Nz2Kd5'
WRONG_KEY = 'sk-wrong-Hj4Tb9Rm1Cy6'


class FakeOpenAI(http.server.BaseHTTPRequestHandler):
    """GET /v1/models and GET /v1/videos with a Bearer key, as the
    OpenAI API answers them."""

    def log_message(self, fmt, *args):
        pass

    def _send(self, status, body):
        data = json.dumps(body).encode()
        self.send_response(status)
        self.send_header('Content-Type', 'application/json')
        self.send_header('Content-Length', str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def do_GET(self):
        self.server.seen.append(self.path)
        path = self.path.split('?', 1)[0]
        if self.headers.get('Authorization') != 'Bearer ' + GOOD_KEY:
            self._send(401, {'error': {
                'message': 'Incorrect API key provided.',
                'type': 'invalid_request_error', 'param': None,
                'code': 'invalid_api_key'}})
            return
        if path == '/v1/models':
            self._send(200, {'object': 'list', 'data': [
                {'id': 'sora-2', 'object': 'model', 'created': 1759708800,
                 'owned_by': 'system'}]})
        elif path == '/v1/videos':
            self._send(200, {'object': 'list', 'data': [], 'first_id': None,
                             'last_id': None, 'has_more': False})
        else:
            self._send(404, {'error': {'message': 'Not found', 'type': 'invalid_request_error',
                                       'param': None, 'code': None}})


def start_fake():
    server = http.server.ThreadingHTTPServer(('127.0.0.1', 0), FakeOpenAI)
    server.seen = []
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    return server


def files_containing(root, needle):
    found = []
    data = needle.encode()
    for dirpath, _dirs, files in os.walk(root):
        for f in files:
            p = os.path.join(dirpath, f)
            if os.path.islink(p):
                continue
            try:
                with open(p, 'rb') as fh:
                    if data in fh.read():
                        found.append(p)
            except OSError:
                pass
    return found


def main():
    run_with_deadline(int(os.environ.get('TAKES_UI_TEST_TIMEOUT', '150')) - 10)
    tap = Tap(7)
    sandbox = Sandbox()
    server = start_fake()
    endpoint = f'http://127.0.0.1:{server.server_address[1]}/v1'
    keyring = os.path.join(sandbox.data, 'keyrings', 'takes-test.keyring')
    app = App(sandbox, extra_env={
        # The keyring: libsecret's encrypted file backend (a test hook)
        'SECRET_BACKEND': 'file',
        'SECRET_FILE_TEST_PATH': keyring,
        'SECRET_FILE_TEST_PASSWORD': 'takes-ui-test',
        # Settings written to a file, so the test can look inside it
        'GSETTINGS_BACKEND': 'keyfile',
    })
    state = {}

    def generators_page():
        prefs = state['prefs']
        # The page switcher: a toggle button named after the page
        switch = find(prefs, ('toggle button', 'push button', 'radio button', 'page tab'),
                      'Generators', timeout=10)
        press(switch)
        return poll(lambda: find(prefs, 'push button', name_contains='Test ', timeout=0.5),
                    10, what='a Test button')

    def field(display_name, row_title):
        """A field of one generator's group: the list named after the
        generator, then the row named after the key."""
        group = find(state['prefs'], 'list', display_name, timeout=10)
        return find(group, name=row_title, pred=is_editable, timeout=10)

    def status_of(display_name):
        """The Connection row's subtitle of one generator's group."""
        button = find(state['prefs'], 'push button', 'Test ' + display_name)
        row = safe(button.get_parent)
        while row is not None and role_of(row) not in ('list item', 'row'):
            row = safe(row.get_parent)
        texts = []
        for n in walk(row if row is not None else button.get_parent(), max_depth=8):
            if role_of(n) == 'label':
                t = read_text(n)
                if t:
                    texts.append(t)
        return texts

    def wait_status(display_name, prefix, timeout=30):
        last = []

        def look():
            nonlocal last
            last = status_of(display_name)
            for t in last:
                if t.startswith(prefix):
                    return t
            return None
        try:
            return poll(look, timeout, what=f'{prefix!r} under {display_name}')
        except Exception:
            raise AssertionError(f'{display_name}: expected {prefix!r}, the row reads {last!r}')

    def opens():
        app.start()
        app.button('New Project')
        app.focus_window()
        key(',', 'ctrl')
        state['prefs'] = app.window(name='Preferences', timeout=15)
        generators_page()
        names = [name_of(n) for n in walk(state['prefs'], showing_only=True)
                 if role_of(n) == 'push button' and name_of(n).startswith('Test ')]
        log(f'test buttons: {names!r}')
        state['tests'] = names
        screenshot('preferences-generators')
        animatic = [n for n in names if n.startswith('Test Animatic')]
        if not animatic:
            raise AssertionError(f'no "Test Animatic" among {names!r}')
        state['animatic'] = animatic[0][len('Test '):]

    def animatic_connects():
        press(find(state['prefs'], 'push button', 'Test ' + state['animatic']))
        wait_status(state['animatic'], 'Connected')

    def sora_connects():
        prefs = state['prefs']
        set_text(field('Sora-compatible', 'API Key'), GOOD_KEY)
        set_text(field('Sora-compatible', 'Endpoint'), endpoint)
        press(find(prefs, 'push button', 'Test Sora-compatible'))
        text = wait_status('Sora-compatible', 'Connected')
        log(f'status: {text!r}; the server saw {server.seen!r}')
        if not server.seen:
            raise AssertionError('the Test button did not reach the endpoint')
        screenshot('preferences-sora-connected')

    def sora_rejects():
        prefs = state['prefs']
        set_text(field('Sora-compatible', 'API Key'), WRONG_KEY)
        press(find(prefs, 'push button', 'Test Sora-compatible'))
        text = wait_status('Sora-compatible', 'Rejected')
        if 'key' not in text:
            raise AssertionError(f'the rejection does not name the key: {text!r}')
        if WRONG_KEY in text:
            raise AssertionError('the message repeats the key')
        screenshot('preferences-sora-rejected')

    def unreachable():
        prefs = state['prefs']
        set_text(field('Sora-compatible', 'Endpoint'), 'http://127.0.0.1:9/v1')
        press(find(prefs, 'push button', 'Test Sora-compatible'))
        text = wait_status('Sora-compatible', 'Could not reach', timeout=60)
        if '127.0.0.1:9' not in text:
            raise AssertionError(f'the message does not name the address: {text!r}')

    def budget_shown():
        # The project's spending against a budget set in Project Settings
        key('Escape')
        poll(lambda: not any(name_of(w) == 'Preferences' and is_showing(w)
                             for w in app.windows()), 10, what='Preferences to close')
        app.press('Open Demo Film')
        main = app.main_window()
        poll(lambda: find_all(main, 'label', name_contains='Spent $'), 20,
             what='the spending in the header bar')
        app.focus_window()
        key('F10')
        app.press('Project Settings…')
        dialog = app.window(name='Project Settings', timeout=10)
        spin = find(dialog, 'spin button', 'Budget', timeout=10)
        value = spin.get_value_iface()
        if not value.set_current_value(12.5):
            raise AssertionError('the budget cannot be set')
        press(find(dialog, 'push button', 'Apply'))
        labels = poll(lambda: find_all(main, 'label', name_contains='budget'), 10,
                      what='the budget in the header bar')
        text = name_of(labels[0])
        screenshot('project-budget')
        if text != 'Spent $0.00 of $12.50 budget':
            raise AssertionError(f'the header bar reads {text!r}')

    def no_key_on_disk():
        # Quit, so every setting is flushed.
        app.stop()
        for secret in (GOOD_KEY, WRONG_KEY):
            found = files_containing(sandbox.root, secret)
            if found:
                raise AssertionError(f'the key is in {found!r}')
        if state.get('sora'):
            settings = os.path.join(sandbox.config, 'glib-2.0', 'settings', 'keyfile')
            if not os.path.exists(settings) or not files_containing(sandbox.config, '127.0.0.1:9'):
                raise AssertionError('the endpoint was not saved in the settings')
            if not os.path.exists(keyring):
                raise AssertionError('the key was not stored in the keyring')

    try:
        if tap.check('Ctrl+comma opens Preferences with a Generators page', opens):
            tap.check('Test Animatic reads "Connected"', animatic_connects)
            if 'Test Sora-compatible' in state.get('tests', []):
                state['sora'] = True
                tap.check('the Sora-compatible key and endpoint test as "Connected"', sora_connects)
                tap.check('a wrong key reads as a rejection of the key', sora_rejects)
                tap.check('an endpoint nobody answers reads "Could not reach …"', unreachable)
            else:
                for what in ('Sora-compatible connects', 'wrong key rejected', 'unreachable endpoint'):
                    tap.skip(what, 'the sora backend is not registered in this build')
            tap.check('Project Settings sets a budget the header bar shows', budget_shown)
            tap.check('no key in any file under HOME and the XDG folders', no_key_on_disk)
    except Deadline as e:
        log(str(e))
    finally:
        app.stop()
        server.shutdown()
        sandbox.cleanup()
    tap.exit()


if __name__ == '__main__':
    main()
