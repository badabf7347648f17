# SPDX-License-Identifier: GPL-2.0
"""The tutorial's multiprocessing.Pool example, with forkscope markers."""
from multiprocessing import Pool
import os
import random
import time


def mark(text):
    """Forkscope's marker protocol: a write to fd 987, which is not open (EBADF)."""
    try:
        os.write(987, text.encode())
    except OSError:
        pass


def long_time_task(name):
    mark('task %s started on worker %s' % (name, os.getpid()))
    print('Run task %s (%s)...' % (name, os.getpid()), flush=True)
    start = time.time()
    time.sleep(random.random() * 3)
    end = time.time()
    print('Task %s runs %0.2f seconds.' % (name, (end - start)), flush=True)
    mark('task %s done' % name)


if __name__ == '__main__':
    print('Parent process %s.' % os.getpid())
    p = Pool(4)
    for i in range(5):
        p.apply_async(long_time_task, args=(i,))
    print('Waiting for all subprocesses done...', flush=True)
    mark('close')
    p.close()
    mark('join')
    p.join()
    print('All subprocesses done.')
