# SPDX-License-Identifier: GPL-2.0
"""The tutorial's subprocess example, with local programs instead of nslookup (no network here).

Named subprocess_demo.py, not subprocess.py, so that it does not hide the
standard library module it imports.
"""
import os
import subprocess


def mark(text):
    """Forkscope's marker protocol: a write to fd 987, which is not open (EBADF)."""
    try:
        os.write(987, text.encode())
    except OSError:
        pass


print('$ uname -s', flush=True)
mark('call')
r = subprocess.call(['uname', '-s'])
mark('exit code %d' % r)
print('Exit code:', r)

print('$ sort', flush=True)
p = subprocess.Popen(['sort'], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                     stderr=subprocess.PIPE)
mark('communicate')
output, err = p.communicate(b'cherry\napple\nbanana\n')
mark('exit code %d' % p.returncode)
print(output.decode('utf-8'))
print('Exit code:', p.returncode)
