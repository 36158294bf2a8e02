# takes_atspi.py
#
# Copyright 2026 The Takes authors
#
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Drives the Takes window through the accessibility tree (AT-SPI), the way
# a screen-reader user would: controls are found by role and by the name a
# person reads, never by coordinates. Every wait polls with a deadline.
#
# Runs under Debian's /usr/bin/python3 (python3-gi, gir1.2-atspi-2.0),
# inside the private X server and D-Bus session of run-ui-test.sh.

import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import traceback
import warnings

import gi

gi.require_version('Atspi', '2.0')
from gi.repository import Atspi, GLib  # noqa: E402

# PyGObject flags some interface getters of libatspi 2.46 as deprecated;
# they are what Debian 12 has.
warnings.filterwarnings('ignore', category=DeprecationWarning)

DEFAULT_TIMEOUT = 20.0
POLL_INTERVAL = 0.05

# X keysyms used by the tests (see X11/keysymdef.h)
KEY = {
    'Return': 0xff0d,
    'Escape': 0xff1b,
    'Tab': 0xff09,
    'Up': 0xff52,
    'Down': 0xff54,
    'Left': 0xff51,
    'Right': 0xff53,
    'Home': 0xff50,
    'End': 0xff57,
    'Delete': 0xffff,
    'BackSpace': 0xff08,
    'F10': 0xffc7,
    'question': 0x003f,
    'slash': 0x002f,
}

MODIFIER_MASK = {
    'shift': 1 << Atspi.ModifierType.SHIFT,
    'ctrl': 1 << Atspi.ModifierType.CONTROL,
    'alt': 1 << Atspi.ModifierType.ALT,
}


class Timeout(Exception):
    pass


def log(msg):
    # TAP treats lines starting with '#' as diagnostics.
    for line in str(msg).splitlines() or ['']:
        print('# ' + line, flush=True)


def poll(fn, timeout=DEFAULT_TIMEOUT, what='condition', interval=POLL_INTERVAL):
    """Calls fn until it returns something true, or raises Timeout."""
    deadline = time.monotonic() + timeout
    last_error = None
    while True:
        try:
            result = fn()
        except GLib.Error as e:
            # Nodes vanish while the tree changes under us; try again.
            result = None
            last_error = e
        if result:
            return result
        if time.monotonic() > deadline:
            extra = f' (last error: {last_error})' if last_error else ''
            raise Timeout(f'timed out after {timeout:.0f} s waiting for {what}{extra}')
        time.sleep(interval)


# ---------------------------------------------------------------- tree walk

def safe(fn, default=None):
    try:
        return fn()
    except GLib.Error:
        return default


def role_of(node):
    return safe(node.get_role_name, '') or ''


def name_of(node):
    return safe(node.get_name, '') or ''


def children(node):
    n = safe(node.get_child_count, 0) or 0
    out = []
    for i in range(n):
        child = safe(lambda: node.get_child_at_index(i))
        if child is not None:
            out.append(child)
    return out


def states_of(node):
    s = safe(node.get_state_set)
    return s


def has_size(node):
    comp = safe(node.get_component_iface)
    if comp is None:
        return True
    ext = safe(lambda: comp.get_extents(Atspi.CoordType.WINDOW))
    return ext is None or (ext.width > 0 and ext.height > 0)


def is_page(node):
    """Stack pages (GtkStackPage, AdwViewStackPage, AdwLeafletPage…) are
    accessible objects but not widgets: they have no Component. Their
    children are shown one at a time."""
    return role_of(node) not in ('application', 'frame') and \
        safe(node.get_component_iface) is None


def is_showing(node, parent_is_page=True):
    """Whether a person could see the node. GTK 4.8 sets SHOWING on
    top-levels only, and VISIBLE on every widget not hidden, including
    those on a stack page not shown: what tells those apart is that they
    have no size on screen. Asking every node its size is slow over
    D-Bus, so walk() asks only the roots of pages."""
    s = states_of(node)
    if not s:
        return False
    if s.contains(Atspi.StateType.SHOWING):
        return True
    if not s.contains(Atspi.StateType.VISIBLE):
        return False
    if not parent_is_page:
        return True
    return has_size(node)


def normalize_name(name):
    """The name as a person reads it. GTK 4.8 keeps mnemonic underscores
    and, for buttons, repeats the label's text: "_New Project New Project"."""
    n = name.replace('_', '')
    half = len(n) // 2
    if len(n) % 2 == 1 and n[half] == ' ' and n[:half] == n[half + 1:]:
        n = n[:half]
    return n


def walk(node, max_depth=60, showing_only=False):
    """Depth-first over the subtree of node (node included)."""
    stack = [(node, False, 0)]
    while stack:
        cur, in_page, depth = stack.pop()
        if showing_only and depth > 0 and not is_showing(cur, in_page):
            continue
        yield cur
        if depth < max_depth:
            kids = children(cur)
            page = showing_only and bool(kids) and is_page(cur)
            for kid in reversed(kids):
                stack.append((kid, page, depth + 1))


def matches(node, role=None, name=None, name_contains=None, pred=None):
    if role is not None:
        roles = (role,) if isinstance(role, str) else role
        if role_of(node) not in roles:
            return False
    if name is not None:
        actual = name_of(node)
        if actual != name and normalize_name(actual) != name:
            return False
    if name_contains is not None and name_contains not in normalize_name(name_of(node)):
        return False
    if pred is not None and not pred(node):
        return False
    return True


def find_all(root, role=None, name=None, name_contains=None, pred=None,
             showing_only=True):
    return [n for n in walk(root, showing_only=showing_only)
            if matches(n, role, name, name_contains, pred)]


def find(root, role=None, name=None, name_contains=None, pred=None,
         timeout=DEFAULT_TIMEOUT, showing_only=True):
    """The first node under root that matches, waiting for it to appear."""
    desc = f'{role or "any role"} {name or name_contains or ""!r}'

    def look():
        for n in walk(root, showing_only=showing_only):
            if matches(n, role, name, name_contains, pred):
                return n
        return None
    return poll(look, timeout, what=desc)


def dump(node, max_depth=30, showing_only=True, file=None):
    """Prints the tree as TAP diagnostics: role 'name' [text]."""
    def rec(n, depth):
        extra = ''
        t = safe(n.get_text_iface)
        if t is not None:
            extra = ' text=' + repr(text_of_iface(t)[:60])
        log('  ' * depth + f'{role_of(n)} {name_of(n)!r}{extra}')
        if depth < max_depth:
            for c in children(n):
                if showing_only and not is_showing(c, is_page(n)):
                    continue
                rec(c, depth + 1)
    rec(node, 0)


# ---------------------------------------------------------------- actions

def press(node):
    """Activates a button (or anything with actions) with its first action."""
    action = safe(node.get_action_iface)
    if action is None or safe(action.get_n_actions, 0) == 0:
        raise AssertionError(f'{role_of(node)} {name_of(node)!r} has no action')
    ok = action.do_action(0)
    if not ok:
        raise AssertionError(f'action on {name_of(node)!r} failed')


def editable_node(node):
    """node itself if it takes text, else its first "text" descendant
    (GtkEntry and AdwEntryRow keep their editable GtkText inside)."""
    if safe(node.get_editable_text_iface) is not None:
        return node
    for n in walk(node, showing_only=False):
        if role_of(n) == 'text' and safe(n.get_editable_text_iface) is not None:
            return n
    raise AssertionError(f'{role_of(node)} {name_of(node)!r} is not editable')


def text_of_iface(t):
    # GTK 4.8 answers get_text (0, -1) with an empty string: ask for the
    # exact range.
    count = safe(t.get_character_count, 0) or 0
    if count <= 0:
        return ''
    return safe(lambda: t.get_text(0, count), '') or ''


def is_editable(node):
    if role_of(node) in ('label', 'push button', 'panel', 'filler'):
        return False
    try:
        editable_node(node)
        return True
    except AssertionError:
        return False


def find_field(root, name, **kw):
    """An editable field by its accessible name (entry, row or text view)."""
    return find(root, name=name, pred=is_editable, **kw)


def read_text(node):
    """The text a node shows: its Text interface, else its name."""
    for n in walk(node, max_depth=4, showing_only=False):
        t = safe(n.get_text_iface)
        if t is not None:
            return text_of_iface(t)
    return name_of(node)


def set_text(node, text):
    """Replaces the text of an entry or text view."""
    target = editable_node(node)
    ed = target.get_editable_text_iface()
    ok = ed.set_text_contents(text)
    if not ok or read_text(target) != text:
        # Some widgets only implement InsertText/DeleteText.
        t = target.get_text_iface()
        length = t.get_character_count()
        if length:
            ed.delete_text(0, length)
        ed.insert_text(0, text, len(text.encode('utf-8')))


def type_text(node, text):
    """Inserts text at the end of an entry or text view."""
    target = editable_node(node)
    t = target.get_text_iface()
    pos = t.get_character_count()
    target.get_editable_text_iface().insert_text(pos, text, len(text.encode('utf-8')))


def focus(node):
    comp = safe(node.get_component_iface)
    if comp is not None:
        return safe(comp.grab_focus, False)
    return False


def key(keysym, *mods):
    """Presses a key (a name from KEY, a single character, or a keysym)
    with modifiers ('ctrl', 'alt', 'shift') held."""
    if isinstance(keysym, str):
        keysym = KEY[keysym] if keysym in KEY else ord(keysym)
    mask = 0
    for m in mods:
        mask |= MODIFIER_MASK[m]
    if mask:
        Atspi.generate_keyboard_event(mask, None, Atspi.KeySynthType.LOCKMODIFIERS)
    try:
        Atspi.generate_keyboard_event(keysym, None, Atspi.KeySynthType.SYM)
    finally:
        if mask:
            Atspi.generate_keyboard_event(mask, None, Atspi.KeySynthType.UNLOCKMODIFIERS)
    # Key events travel through the X server; let them land.
    time.sleep(0.15)


def move_pointer(x, y):
    Atspi.generate_mouse_event(x, y, 'abs')


def click(x, y):
    Atspi.generate_mouse_event(x, y, 'b1c')


def screenshot(name):
    """Saves the whole screen to $TAKES_SCREENSHOT_DIR/NAME.png, if set."""
    folder = os.environ.get('TAKES_SCREENSHOT_DIR')
    if not folder:
        return None
    os.makedirs(folder, exist_ok=True)
    path = os.path.join(folder, name + '.png')
    try:
        subprocess.run(['import', '-window', 'root', path], check=True,
                       timeout=30, stdout=subprocess.DEVNULL,
                       stderr=subprocess.PIPE)
        log(f'screenshot: {path}')
        return path
    except (OSError, subprocess.SubprocessError) as e:
        log(f'screenshot failed: {e}')
        return None


# ---------------------------------------------------------------- the app

def takes_bin():
    path = os.environ.get('TAKES_BIN')
    if not path:
        build = os.environ.get('TAKES_BUILD_DIR')
        if build:
            path = os.path.join(build, 'takes')
    if not path or not os.access(path, os.X_OK):
        raise RuntimeError('set TAKES_BIN to the takes executable')
    return path


class Sandbox:
    """A private HOME / XDG tree, removed at the end."""

    def __init__(self):
        self.root = tempfile.mkdtemp(prefix='takes-ui-')
        self.home = os.path.join(self.root, 'home')
        self.data = os.path.join(self.root, 'data')
        self.config = os.path.join(self.root, 'config')
        self.cache = os.path.join(self.root, 'cache')
        self.work = os.path.join(self.home, 'Films')
        for d in (self.home, self.data, self.config, self.cache, self.work):
            os.makedirs(d, exist_ok=True)
        # Where "New Project" proposes to save: a folder of our own.
        with open(os.path.join(self.config, 'user-dirs.dirs'), 'w') as f:
            f.write(f'XDG_VIDEOS_DIR="{self.work}"\n'
                    f'XDG_DOCUMENTS_DIR="{self.work}"\n')

    def projects(self):
        """Every .takes file under the sandbox, newest first."""
        found = []
        for dirpath, _dirs, files in os.walk(self.root):
            for f in files:
                if f.endswith('.takes'):
                    p = os.path.join(dirpath, f)
                    found.append((os.path.getmtime(p), p))
        return [p for _m, p in sorted(found, reverse=True)]

    def env(self, extra=None):
        env = dict(os.environ)
        env.update({
            'GTK_A11Y': 'atspi',
            'GDK_BACKEND': 'x11',
            'GSK_RENDERER': 'cairo',
            'GSETTINGS_BACKEND': 'memory',
            'HOME': self.home,
            'XDG_DATA_HOME': self.data,
            'XDG_CONFIG_HOME': self.config,
            'XDG_CACHE_HOME': self.cache,
            # No portal in the test session: keep GTK from waiting for one.
            'GTK_USE_PORTAL': '0',
            'GDK_DEBUG': '',
            'NO_AT_BRIDGE': '0',
        })
        # No network and no real accounts in UI tests.
        for k in list(env):
            if k.endswith('_API_KEY') or k.endswith('_SECRET_KEY') or k.endswith('_ACCESS_KEY'):
                del env[k]
        if extra:
            env.update(extra)
        return env

    def cli(self, *args, extra_env=None, timeout=60):
        """Runs `takes ARGS` (the command line, no window)."""
        return subprocess.run([takes_bin(), *args], env=self.env(extra_env),
                              cwd=self.work, capture_output=True, text=True,
                              timeout=timeout)

    def cleanup(self):
        shutil.rmtree(self.root, ignore_errors=True)


def desktop_apps():
    desk = Atspi.get_desktop(0)
    return children(desk)


class App:
    """One running `takes` process and its accessible application."""

    def __init__(self, sandbox, args=(), extra_env=None):
        self.sandbox = sandbox
        self.args = list(args)
        self.extra_env = extra_env or {}
        self.proc = None
        self.node = None
        self.stderr_path = os.path.join(sandbox.root, f'takes-{time.monotonic_ns()}.log')

    def start(self, timeout=DEFAULT_TIMEOUT * 2):
        self._stderr = open(self.stderr_path, 'w')
        self.proc = subprocess.Popen([takes_bin(), *self.args],
                                     env=self.sandbox.env(self.extra_env),
                                     cwd=self.sandbox.work,
                                     stdout=self._stderr, stderr=subprocess.STDOUT,
                                     start_new_session=True)
        pid = self.proc.pid

        def appeared():
            if self.proc.poll() is not None:
                raise AssertionError(f'takes exited with {self.proc.returncode} before '
                                     f'its window appeared\n{self.output()}')
            for a in desktop_apps():
                if safe(a.get_process_id) == pid:
                    return a
            return None
        self.node = poll(appeared, timeout, what='application "takes" on the desktop')
        # Names, states and children change under the tests: read them
        # live. Roles and interfaces never change, so those may be cached.
        safe(lambda: self.node.set_cache_mask(Atspi.Cache.ROLE | Atspi.Cache.INTERFACES))
        return self

    @property
    def name(self):
        return name_of(self.node)

    def output(self):
        try:
            with open(self.stderr_path) as f:
                return f.read()[-4000:]
        except OSError:
            return ''

    def alive(self):
        return self.proc is not None and self.proc.poll() is None

    def windows(self):
        # Every child of the application is a top-level; libadwaita 1.2's
        # AdwWindow shows up as a "filler", AdwMessageDialog as a "dialog".
        return children(self.node)

    def window(self, name=None, name_contains=None, role=None, timeout=DEFAULT_TIMEOUT):
        """A top-level of the app (frame, dialog, alert) that is showing."""
        def look():
            for w in self.windows():
                if role is not None and role_of(w) != role:
                    continue
                if name is not None and name_of(w) != name:
                    continue
                if name_contains is not None and name_contains not in name_of(w):
                    continue
                if is_showing(w):
                    return w
            return None
        return poll(look, timeout, what=f'window {name or name_contains or role or ""!r}')

    def main_window(self, timeout=DEFAULT_TIMEOUT):
        return self.window(role='frame', timeout=timeout)

    def find(self, role=None, name=None, **kw):
        return find(self.node, role=role, name=name, **kw)

    def find_all(self, role=None, name=None, **kw):
        return find_all(self.node, role=role, name=name, **kw)

    def button(self, name, **kw):
        return self.find(('push button', 'toggle button', 'menu item', 'check box'),
                         name, **kw)

    def press(self, name, **kw):
        press(self.button(name, **kw))

    def field(self, name, **kw):
        """An editable field by its accessible name (entry, row or text view)."""
        return find_field(self.node, name, **kw)

    def focus_window(self):
        """Puts the pointer over the window so X gives it the keyboard
        (there is no window manager under Xvfb)."""
        w = self.main_window()
        comp = safe(w.get_component_iface)
        x, y = 200, 200
        if comp is not None:
            ext = safe(lambda: comp.get_extents(Atspi.CoordType.SCREEN))
            if ext is not None and ext.width > 0 and ext.height > 0:
                x = ext.x + min(ext.width // 2, 400)
                y = ext.y + min(ext.height // 2, 300)
        move_pointer(x, y)
        time.sleep(0.1)

    def wait_exit(self, timeout=DEFAULT_TIMEOUT):
        try:
            return self.proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            raise Timeout(f'takes did not exit within {timeout:.0f} s')

    def stop(self):
        """Ends the process we started (and only it)."""
        if self.proc is None:
            return
        if self.proc.poll() is None:
            try:
                os.killpg(self.proc.pid, signal.SIGTERM)
            except ProcessLookupError:
                pass
            try:
                self.proc.wait(timeout=5)
            except subprocess.TimeoutExpired:
                try:
                    os.killpg(self.proc.pid, signal.SIGKILL)
                except ProcessLookupError:
                    pass
                self.proc.wait(timeout=5)
        if getattr(self, '_stderr', None):
            self._stderr.close()
            self._stderr = None
        # Wait until the registry forgets the app so the next one is the
        # only "takes" on the desktop.
        pid = self.proc.pid
        try:
            poll(lambda: all(safe(a.get_process_id) != pid for a in desktop_apps()),
                 timeout=5, what='the app to leave the desktop')
        except Timeout:
            pass


# ---------------------------------------------------------------- TAP

class Tap:
    """Tiny TAP producer: one plan, numbered results, SKIPs, diagnostics."""

    def __init__(self, plan):
        self.plan = plan
        self.n = 0
        self.failed = 0
        print(f'1..{plan}', flush=True)

    def ok(self, cond, name, reason=''):
        self.n += 1
        if cond:
            print(f'ok {self.n} - {name}', flush=True)
        else:
            self.failed += 1
            suffix = f' # {reason}' if reason else ''
            print(f'not ok {self.n} - {name}{suffix}'.replace('\n', ' '), flush=True)
        return cond

    def skip(self, name, reason):
        self.n += 1
        print(f'ok {self.n} - {name} # SKIP {reason}', flush=True)

    def skip_rest(self, reason):
        while self.n < self.plan:
            self.skip('not reached', reason)

    def fail_rest(self, reason):
        while self.n < self.plan:
            self.ok(False, 'not reached', reason)

    def check(self, name, fn):
        """Runs fn; an exception or a False result is a failure. Returns
        whether it passed."""
        try:
            result = fn()
        except Exception as e:  # noqa: BLE001 - any failure is a test failure
            log(traceback.format_exc())
            self.ok(False, name, f'{type(e).__name__}: {e}'.splitlines()[0][:200])
            return False
        return self.ok(result is not False, name)

    def exit(self):
        if self.n < self.plan:
            self.fail_rest('test ended early')
        sys.exit(1 if self.failed else 0)


class Deadline(BaseException):
    """The whole test ran out of time (not caught by Tap.check)."""


def run_with_deadline(seconds):
    """Aborts the test after a while, leaving time to clean up."""
    def on_alarm(signum, frame):
        raise Deadline(f'the whole test took longer than {seconds} s')
    signal.signal(signal.SIGALRM, on_alarm)
    signal.alarm(seconds)


# ---------------------------------------------------------------- Takes

def shot_list_names():
    """"Shots" as the list is labelled in every language Takes speaks,
    read from the built catalogues so the tests follow the translations."""
    import gettext
    names = {'Shots'}
    localedir = os.path.join(os.environ.get('TAKES_BUILD_DIR', ''), 'po')
    for lang in ('ar', 'zh_CN'):
        try:
            t = gettext.translation('takes', localedir=localedir, languages=[lang])
            names.add(t.gettext('Shots'))
        except OSError:
            pass
    return names


def shot_list(app, timeout=DEFAULT_TIMEOUT):
    """The list of shots (a GtkListView labelled "Shots", or in another
    language the list whose items read like "Shot 3, …")."""
    cached = getattr(app, '_shot_list', None)
    if cached is not None:
        s = states_of(cached)
        if s is not None and s.contains(Atspi.StateType.VISIBLE) and has_size(cached):
            return cached

    names = shot_list_names()

    def look():
        lists = app.find_all(('list', 'list box', 'table', 'tree table'))
        for lst in lists:
            if name_of(lst) in names:
                return lst
        for lst in lists:
            items = [c for c in children(lst) if role_of(c) == 'list item']
            if items and all(name_of(i)[:1] and not name_of(i).startswith('Gtk')
                             for i in items) and name_of(lst) != 'Recent Projects':
                return lst
        return None
    app._shot_list = poll(look, timeout, what='the shot list')
    return app._shot_list


def shot_items(app, timeout=DEFAULT_TIMEOUT):
    lst = shot_list(app, timeout)
    return [c for c in children(lst) if role_of(c) == 'list item' and is_showing(c)]


def shot_names(app, timeout=DEFAULT_TIMEOUT):
    """What a screen reader says for each row, top to bottom."""
    return [name_of(i) for i in shot_items(app, timeout)]


def wait_shots(app, pred, what, timeout=DEFAULT_TIMEOUT):
    """Waits until pred(list of row names) holds; returns the names."""
    last = []

    def look():
        nonlocal last
        last = shot_names(app, timeout)
        return last if pred(last) else None
    try:
        return poll(look, timeout, what=what)
    except Timeout as e:
        raise Timeout(f'{e}; rows are {last!r}') from None


def order_of(names, prompts):
    """The prompts in the order the rows show them (rows without one of
    them are left out)."""
    out = []
    for n in names:
        for p in prompts:
            if p in n:
                out.append(p)
    return out


def select_shot(app, index):
    """Selects row @index of the shot list the way a person would: the
    Selection interface of the list, else clicking it."""
    lst = shot_list(app)
    sel = safe(lst.get_selection_iface)
    if sel is not None and safe(lambda: sel.select_child(index), False):
        poll(lambda: sel.is_child_selected(index), 5, what=f'row {index} selected')
        return
    item = shot_items(app)[index]
    action = safe(item.get_action_iface)
    if action is not None and safe(action.get_n_actions, 0):
        action.do_action(0)
        return
    comp = item.get_component_iface()
    ext = comp.get_extents(Atspi.CoordType.SCREEN)
    click(ext.x + ext.width // 2, ext.y + ext.height // 2)


def window_text(node):
    """All the text shown in a window: names and text of its nodes."""
    parts = []
    for n in walk(node, showing_only=False):
        nm = name_of(n)
        if nm and not nm.startswith(('Gtk', 'Adw')):
            parts.append(nm)
        t = safe(n.get_text_iface)
        if t is not None:
            txt = text_of_iface(t)
            if txt:
                parts.append(txt)
    return '\n'.join(parts)


def error_dialog(app, timeout=DEFAULT_TIMEOUT):
    """The first top-level besides the main window that shows up (an
    AdwMessageDialog is a window of its own), with its text."""
    def look():
        wins = [w for w in app.windows() if is_showing(w)]
        for w in wins:
            if role_of(w) in ('dialog', 'alert'):
                return w
        # Dialogs that present themselves as plain windows.
        if len(wins) > 1:
            return wins[-1]
        return None
    w = poll(look, timeout, what='an error dialog')
    return w, window_text(w)


def quit_app(app, timeout=DEFAULT_TIMEOUT):
    """Quits like a person: Ctrl+Q, else the window's close button.
    Returns the exit status."""
    app.focus_window()
    key('q', 'ctrl')
    try:
        return app.wait_exit(timeout / 2)
    except Timeout:
        pass
    w = app.main_window()
    close = find(w, 'push button', 'Close', timeout=5)
    press(close)
    return app.wait_exit(timeout / 2)
