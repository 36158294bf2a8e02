#!/usr/bin/env python3
# check-data.py
#
# Copyright 2026 The Takes authors
#
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Checks on data files that no stock validator makes: the icons follow the
# GNOME icon rules (size, no text or bitmaps, one colour for the symbolic
# icon), and the MIME package is accepted by update-mime-database and maps
# *.takes to our type.

import os
import re
import shutil
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ET

SVG_NS = '{http://www.w3.org/2000/svg}'
SYMBOLIC_COLOURS = {'#2e3436', 'none'}
COLOUR_PROPERTIES = ('fill', 'stroke', 'stop-color', 'color', 'flood-color')
errors = []


def fail(path, message):
    errors.append('%s: %s' % (os.path.basename(path), message))


def colours_of(element):
    """Every colour the element sets, from attributes and from its style."""
    found = []
    for prop in COLOUR_PROPERTIES:
        if prop in element.attrib:
            found.append((prop, element.attrib[prop]))
    for decl in element.attrib.get('style', '').split(';'):
        if ':' in decl:
            prop, value = (s.strip() for s in decl.split(':', 1))
            if prop in COLOUR_PROPERTIES:
                found.append((prop, value))
    return found


def check_svg(path, size, symbolic):
    try:
        root = ET.parse(path).getroot()
    except ET.ParseError as e:
        fail(path, 'not well-formed XML: %s' % e)
        return
    if root.tag != SVG_NS + 'svg':
        fail(path, 'root element is %s, not an SVG <svg>' % root.tag)
        return
    viewbox = root.attrib.get('viewBox', '').split()
    if viewbox != ['0', '0', str(size), str(size)]:
        fail(path, 'viewBox is "%s", expected "0 0 %d %d"'
             % (' '.join(viewbox), size, size))
    for element in root.iter():
        tag = element.tag.replace(SVG_NS, '')
        if tag in ('text', 'image', 'script', 'foreignObject'):
            fail(path, '<%s> has no place in an icon' % tag)
        for name, value in element.attrib.items():
            if name.endswith('href') and not value.startswith('#'):
                fail(path, 'external reference %s' % value)
        if symbolic:
            if tag in ('linearGradient', 'radialGradient', 'pattern', 'filter'):
                fail(path, '<%s> in a symbolic icon' % tag)
            for prop, value in colours_of(element):
                if value.lower() not in SYMBOLIC_COLOURS:
                    fail(path, '%s="%s" in a symbolic icon; use #2e3436'
                         % (prop, value))
            opacity = element.attrib.get('opacity')
            if opacity is not None and float(opacity) < 1.0:
                fail(path, 'opacity in a symbolic icon')
    if symbolic:
        # A symbolic icon with no shape painted #2e3436 would render empty
        # once the theme recolours it.
        painted = any(value.lower() == '#2e3436'
                      for element in root.iter()
                      for _, value in colours_of(element))
        if not painted:
            fail(path, 'nothing is painted #2e3436')


def check_mime(path, update_mime_database, mime_type, glob):
    with tempfile.TemporaryDirectory() as tmp:
        packages = os.path.join(tmp, 'mime', 'packages')
        os.makedirs(packages)
        shutil.copy(path, packages)
        # Inside XDG_DATA_HOME, or update-mime-database warns that
        # nothing will find the folder.
        env = dict(os.environ, XDG_DATA_HOME=tmp)
        result = subprocess.run([update_mime_database, os.path.join(tmp, 'mime')],
                                capture_output=True, text=True, env=env)
        if result.returncode != 0 or result.stderr.strip():
            fail(path, 'update-mime-database: %s' % result.stderr.strip())
            return
        with open(os.path.join(tmp, 'mime', 'globs2')) as f:
            globs = f.read()
        if not re.search(r'^\d+:%s:%s$' % (re.escape(mime_type), re.escape(glob)),
                         globs, re.M):
            fail(path, '%s is not mapped to %s' % (glob, mime_type))
        with open(os.path.join(tmp, 'mime', 'magic'), 'rb') as f:
            if b'[60:' + mime_type.encode() + b']' not in f.read():
                fail(path, 'no content match for %s' % mime_type)


def main(argv):
    if len(argv) == 4 and argv[1] == 'icons':
        check_svg(argv[2], 128, symbolic=False)
        check_svg(argv[3], 16, symbolic=True)
    elif len(argv) == 6 and argv[1] == 'mime':
        check_mime(argv[2], argv[3], argv[4], argv[5])
    else:
        print('usage: %s icons SCALABLE.svg SYMBOLIC.svg\n'
              '       %s mime PACKAGE.xml UPDATE-MIME-DATABASE TYPE GLOB'
              % (argv[0], argv[0]), file=sys.stderr)
        return 2
    for error in errors:
        print(error, file=sys.stderr)
    return 1 if errors else 0


if __name__ == '__main__':
    sys.exit(main(sys.argv))
