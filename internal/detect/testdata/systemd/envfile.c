/*
 * envfile prints what systemd reads from an env file such as os-release:
 * it calls load_env_file_pairs from the systemd installed on this machine
 * (libsystemd-shared, systemd's private library, which exports it) and
 * prints one "KEY"="VALUE" line per assignment, sorted by key, with
 * " and \ escaped by a backslash and control bytes as \xNN. A file systemd
 * refuses prints "error" and the errno. Build and use: see gen.sh.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int load_env_file_pairs(FILE *f, const char *fname, char ***ret);

static void quote(const char *s) {
	putchar('"');
	for (; *s; s++) {
		unsigned char c = *s;
		if (c == '"' || c == '\\')
			printf("\\%c", c);
		else if (c < 0x20 || c == 0x7f)
			printf("\\x%02x", c);
		else
			putchar(c);
	}
	putchar('"');
}

/* a and b point at elements of an array of pointers to KEY, VALUE pairs. */
static int by_key(const void *a, const void *b) {
	char **x = *(char **const *)a, **y = *(char **const *)b;
	return strcmp(x[0], y[0]);
}

int main(int argc, char **argv) {
	char **pairs = NULL;
	size_t n = 0;
	int r;

	if (argc != 2) {
		fprintf(stderr, "usage: envfile FILE\n");
		return 2;
	}
	r = load_env_file_pairs(NULL, argv[1], &pairs);
	if (r < 0) {
		printf("error %d\n", -r);
		return 0;
	}
	while (pairs && pairs[n])
		n += 2;
	/* pairs is KEY, VALUE, KEY, VALUE, ...: sort the pairs as units. */
	char ***sorted = malloc((n / 2 + 1) * sizeof(char **));
	for (size_t i = 0; i < n / 2; i++)
		sorted[i] = &pairs[2 * i];
	qsort(sorted, n / 2, sizeof(char **), by_key);
	for (size_t i = 0; i < n / 2; i++) {
		char **kv = sorted[i];
		quote(kv[0]);
		putchar('=');
		quote(kv[1]);
		putchar('\n');
	}
	return 0;
}
