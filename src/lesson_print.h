/* SPDX-License-Identifier: GPL-2.0 */
/* `forkscope lesson NAME LOG`: a lesson as text, with the values of that recorded session. */
#ifndef FORKSCOPE_LESSON_PRINT_H
#define FORKSCOPE_LESSON_PRINT_H

#include <stdio.h>

/*
 * Prints the lesson's title and steps to out, its placeholders filled from
 * the log (`code` spans keep their backquotes), then its prediction questions
 * as that run asks them, with the kernel's answer, and the learner's answers
 * and score when the log holds answer events. 0; 2 with one line on err for
 * an unknown lesson, 1 for a log that cannot be read; a log cut short
 * (no end line) is printed with dump's one-line warning on err.
 */
int lesson_print(const char *name, const char *log, FILE *out, FILE *err);

#endif /* FORKSCOPE_LESSON_PRINT_H */
