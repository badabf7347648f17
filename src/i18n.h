// SPDX-License-Identifier: GPL-2.0
/* Translation of the user-visible text through gettext: English source, catalogues in po/. */
#ifndef FS_I18N_H
#define FS_I18N_H

#include <libintl.h>

#define FS_TEXTDOMAIN "forkscope"

/* _() translates now; N_() only marks a string in a table for xgettext, to translate at use. */
#define _(s) i18n_text(s)
#define N_(s) (s)

/*
 * gettext(msgid), remembered by msgid's address until the next i18n_init: a
 * replay translates a few formats millions of times, and each gettext call
 * costs hundreds of instructions. msgid must be a string that never changes
 * (a literal or a table of them), as every msgid that xgettext can see is.
 * format_arg: the compiler checks a translated format's arguments against
 * the English format, as it does through gettext.
 */
__attribute__((format_arg(1)))
const char *i18n_text(const char *msgid);

/*
 * Sets the locale from the environment and binds the catalogue. lang is NULL (follow
 * LANGUAGE, LC_ALL, LC_MESSAGES, LANG), "zh" or "en". Chinese works on a machine that only has
 * the C locales: C.UTF-8 is chosen for the character set and LANGUAGE=zh_CN for the messages.
 * The catalogue is looked for in $FORKSCOPE_LOCALEDIR, then locale/ beside the binary (the
 * build tree), then PREFIX/share/locale. Returns 0, or -EINVAL for an unknown lang.
 */
int i18n_init(const char *lang);

/*
 * Puts the user's own LANGUAGE back (or unsets it) for a command forkscope runs, in its child
 * before exec: choosing Chinese for forkscope must not change the traced program's language.
 */
void i18n_restore_env(void);

/* 1 when the messages are Chinese (after i18n_init), else 0. */
int i18n_is_zh(void);

#endif
