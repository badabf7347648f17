# SPDX-License-Identifier: GPL-2.0
"""The tutorial's multiprocessing.Queue example, with forkscope markers.

Named queue_demo.py, not queue.py, so that it does not hide the standard
library's queue module that multiprocessing imports.
"""
from multiprocessing import Process, Queue
import os
import random
import time


def mark(text):
    """Forkscope's marker protocol: a write to fd 987, which is not open (EBADF)."""
    try:
        os.write(987, text.encode())
    except OSError:
        pass


# 写数据进程执行的代码 (the writer):
def write(q):
    print('Process to write: %s' % os.getpid(), flush=True)
    for value in ['A', 'B', 'C']:
        print('Put %s to queue...' % value, flush=True)
        mark('put %s' % value)
        q.put(value)
        time.sleep(random.random())


# 读数据进程执行的代码 (the reader):
def read(q):
    print('Process to read: %s' % os.getpid(), flush=True)
    while True:
        value = q.get(True)
        mark('get %s' % value)
        print('Get %s from queue.' % value, flush=True)


if __name__ == '__main__':
    # 父进程创建Queue，并传给各个子进程 (the parent makes the queue and hands it to both):
    q = Queue()
    pw = Process(target=write, args=(q,))
    pr = Process(target=read, args=(q,))
    pw.start()
    pr.start()
    mark('join writer')
    pw.join()
    # pr进程里是死循环，无法等待其结束，只能强行终止 (the reader loops forever: terminate it):
    mark('terminate reader')
    pr.terminate()
