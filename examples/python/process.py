# SPDX-License-Identifier: GPL-2.0
"""The tutorial's multiprocessing.Process example, with forkscope markers."""
from multiprocessing import Process
import os


def mark(text):
    """Forkscope's marker protocol: a write to fd 987, which is not open (EBADF)."""
    try:
        os.write(987, text.encode())
    except OSError:
        pass


# 子进程要执行的代码 (the code the child runs)
def run_proc(name):
    print('Run child process %s (%s)...' % (name, os.getpid()), flush=True)


if __name__ == '__main__':
    print('Parent process %s.' % os.getpid())
    p = Process(target=run_proc, args=('test',))
    print('Child process will start.', flush=True)
    mark('start')
    p.start()
    mark('join')
    p.join()
    mark('joined')
    print('Child process end.')
