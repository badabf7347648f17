# SPDX-License-Identifier: GPL-2.0
"""The tutorial's os.fork() example, with forkscope markers; the parent also reaps its child."""
import os
import time


def mark(text):
    """Forkscope's marker protocol: a write to fd 987, which is not open (EBADF)."""
    try:
        os.write(987, text.encode())
    except OSError:
        pass


print('Process (%s) start...' % os.getpid(), flush=True)
# Only works on Unix/Linux/Mac:
pid = os.fork()
if pid == 0:
    mark('fork returned 0 in child')
    time.sleep(0.02)  # let the parent print first, as in the tutorial's transcript
    print('I am child process (%s) and my parent is %s.' % (os.getpid(), os.getppid()))
else:
    mark('fork returned %d in parent' % pid)
    print('I (%s) just created a child process (%s).' % (os.getpid(), pid), flush=True)
    time.sleep(1.5)  # the child ends meanwhile: a zombie until waitpid
    mark('waitpid')
    os.waitpid(pid, 0)
