#!/usr/bin/env python3
"""kdoc.py FILE... - every function definition has a kernel-doc comment.

Checks (style.md rule 21): the comment right above a definition starts
with "NAME() - summary", has one "@arg:" line per parameter, in order, and
a "Return:" line unless the function returns void. Exit 1 on any problem.
"""
import re
import sys

DEF = re.compile(r'^(?:static\s+)?(?:inline\s+)?(?P<ret>[A-Za-z_][\w\s\*]*?)'
                 r'\s*\b(?P<name>[A-Za-z_]\w*)\((?P<args>[^)]*)\)?\s*$')


def params(argtext):
    """Parameter names of a C prototype's argument list."""
    out = []
    argtext = argtext.strip()
    if argtext in ('', 'void'):
        return out
    for a in argtext.split(','):
        a = a.strip()
        if a == '...':
            continue
        m = re.search(r'\(\s*\*\s*(\w+)\s*\)', a)   # function pointer
        if m:
            out.append(m.group(1))
            continue
        m = re.search(r'(\w+)\s*(\[[^\]]*\])?$', a)
        if m:
            out.append(m.group(1))
    return out


def check(path):
    lines = open(path, encoding='utf-8').read().split('\n')
    bad = 0
    for i, line in enumerate(lines):
        if i + 1 >= len(lines) or lines[i + 1] != '{':
            continue
        if line.startswith((' ', '\t', '#', '/', '}')) or '=' in line:
            continue
        # join a signature split over several lines
        j, sig = i, line
        while '(' not in sig and j > 0:
            j -= 1
            sig = lines[j] + ' ' + sig
        start = j
        while start > 0:
            prev = lines[start - 1].strip()
            if not prev or prev.endswith((';', '}', '*/', '{')) or \
                    prev.startswith('#'):
                break
            start -= 1
        text = ' '.join(l.strip() for l in lines[start:i + 1])
        m = re.match(r'^(?:static\s+)?(?:inline\s+)?(.*?)\b(\w+)\s*\((.*)\)\s*$',
                     re.sub(r'__attribute__\(\(.*?\)\)\s*', '', text))
        if not m:
            continue
        ret, name, args = m.group(1).strip(), m.group(2), m.group(3)
        # comment block above
        c = start - 1
        if c < 0 or lines[c].strip() != '*/':
            print(f'{path}:{start + 1}: {name}() has no kernel-doc comment')
            bad += 1
            continue
        b = c
        while b > 0 and not lines[b].startswith('/**'):
            b -= 1
        doc = lines[b:c + 1]
        if not any(re.match(rf'^ \* {re.escape(name)}\(\) - \S', d) for d in doc):
            print(f'{path}:{b + 1}: comment does not start with "{name}() - "')
            bad += 1
        want = params(args)
        got = [re.match(r'^ \* @(\w+):', d).group(1) for d in doc
               if re.match(r'^ \* @(\w+):', d)]
        if want != got:
            print(f'{path}:{b + 1}: {name}() documents {got}, has {want}')
            bad += 1
        if ret not in ('void', 'static void') and not ret.endswith('void') \
                and not any(d.startswith(' * Return:') for d in doc):
            print(f'{path}:{b + 1}: {name}() returns {ret} but has no Return:')
            bad += 1
    return bad


if __name__ == '__main__':
    total = sum(check(p) for p in sys.argv[1:])
    sys.exit(1 if total else 0)
