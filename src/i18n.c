// SPDX-License-Identifier: GPL-2.0
/* Chooses the language (environment or --lang) and binds forkscope's gettext catalogue. */
#include <errno.h>
#include <langinfo.h>
#include <limits.h>
#include <locale.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "i18n.h"

#ifndef FS_PREFIX
#define FS_PREFIX "/usr/local"
#endif

#define TEXT_SLOTS 512 /* a power of two; more than the messages a run uses */

static int is_zh;
static struct {
	const char *msgid, *text;
} texts[TEXT_SLOTS]; /* i18n_text's translations, by msgid's address */
static int env_saved;
static char user_language[256]; /* LANGUAGE as forkscope found it, if env_saved > 1 */

/* The language the environment asks for, in gettext's order of precedence. */
static const char *env_language(void)
{
	static const char *const vars[] = { "LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG" };

	for (size_t i = 0; i < sizeof(vars) / sizeof(vars[0]); i++) {
		const char *v = getenv(vars[i]);

		if (v && *v)
			return v;
	}
	return "";
}

static int is_dir(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

/* $FORKSCOPE_LOCALEDIR, else locale/ beside the binary (build/), else the installed one. */
static const char *locale_dir(void)
{
	static char dir[PATH_MAX];
	const char *env = getenv("FORKSCOPE_LOCALEDIR");
	ssize_t n;
	char *slash;

	if (env && *env)
		return env;
	n = readlink("/proc/self/exe", dir, sizeof(dir) - sizeof("/locale"));
	if (n > 0) {
		dir[n] = '\0';
		slash = strrchr(dir, '/');
		if (slash) {
			strcpy(slash, "/locale");
			if (is_dir(dir))
				return dir;
		}
	}
	return FS_PREFIX "/share/locale";
}

/*
 * glibc ignores LANGUAGE in the "C" locale and converts messages to the character set of
 * LC_CTYPE, so Chinese needs a UTF-8 locale: C.UTF-8 is always there (zh_CN.UTF-8 may not be).
 */
static void save_language(void)
{
	const char *v = getenv("LANGUAGE");

	if (env_saved)
		return;
	env_saved = v ? 2 : 1;
	snprintf(user_language, sizeof(user_language), "%s", v ? v : "");
}

static void choose_zh(void)
{
	const char *cs = nl_langinfo(CODESET);
	const char *msg = setlocale(LC_MESSAGES, NULL);

	if (!cs || strcmp(cs, "UTF-8"))
		setlocale(LC_CTYPE, "C.UTF-8");
	if (!msg || !strcmp(msg, "C") || !strcmp(msg, "POSIX"))
		setlocale(LC_MESSAGES, "C.UTF-8");
	save_language();
	setenv("LANGUAGE", "zh_CN", 1);
	is_zh = 1;
}

int i18n_init(const char *lang)
{
	const char *env = env_language();
	int zh;

	if (lang && strcmp(lang, "zh") && strcmp(lang, "en"))
		return -EINVAL;
	zh = lang ? !strcmp(lang, "zh") : env[0] == 'z' && env[1] == 'h';
	/* a locale the machine lacks (LANG=zh_CN.UTF-8 without it generated) leaves "C" */
	if (!setlocale(LC_ALL, ""))
		setlocale(LC_ALL, "C");
	/* numbers in logs, dumps, SVG and JSON are read by programs: always a decimal point */
	setlocale(LC_NUMERIC, "C");
	if (zh) {
		choose_zh();
	} else {
		setlocale(LC_MESSAGES, "C"); /* the English source, whatever else LANGUAGE lists */
		is_zh = 0;
	}
	bindtextdomain(FS_TEXTDOMAIN, locale_dir());
	bind_textdomain_codeset(FS_TEXTDOMAIN, "UTF-8");
	textdomain(FS_TEXTDOMAIN);
	memset(texts, 0, sizeof(texts)); /* translated before: in the language of before */
	return 0;
}

const char *i18n_text(const char *msgid)
{
	size_t i = (size_t)((uintptr_t)msgid * 0x9e3779b97f4a7c15ull >> 40) & (TEXT_SLOTS - 1);

	if (texts[i].msgid != msgid) {
		texts[i].text = gettext(msgid);
		texts[i].msgid = msgid;
	}
	return texts[i].text;
}

void i18n_restore_env(void)
{
	if (env_saved == 2)
		setenv("LANGUAGE", user_language, 1);
	else if (env_saved)
		unsetenv("LANGUAGE");
}

int i18n_is_zh(void)
{
	return is_zh;
}
