/*
 * standin.c: a stand-in for python.org's Windows installer and for the
 * python.exe it installs, for TestExportCmdUnderWine (e2e/export_wine_test.go).
 * Built with mingw-w64 (x86_64-w64-mingw32-gcc), run by Wine as XP x64.
 *
 * One program, two parts, chosen by the name it runs under:
 *
 *   python-*.exe  the installer. It takes python.org's quiet options
 *                 (/quiet InstallAllUsers=0 TargetDir=DIR ...), makes DIR,
 *                 copies itself there as python.exe and appends its
 *                 command line to DIR\standin-installer.log. Without
 *                 /quiet or TargetDir it fails: the export must pass both.
 *
 *   anything else python.exe, answering what the export and its checks ask:
 *                 --version                 Python 3.8.10
 *                 -c CODE with version_info 3.8.10
 *                 -c "import NAME"          exit 0 when
 *                                           Lib\site-packages\NAME-*.dist-info
 *                                           is there, else exit 1
 *                 -m venv DEST              DEST\pyvenv.cfg and
 *                                           DEST\Scripts\python.exe (itself)
 *                 -m pip install [--no-index] [--find-links DIR] NAME...
 *                                           for each NAME, a wheel NAME-*.whl
 *                                           must be in DIR when --no-index;
 *                                           then Lib\site-packages\
 *                                           NAME-1.0.dist-info\METADATA
 *                 anything else             a message and exit 9
 */
#include <windows.h>
#include <stdio.h>
#include <string.h>

static char self[MAX_PATH];

/* mkdirs makes a folder and its parents. */
static int mkdirs(const char *dir)
{
	char buf[MAX_PATH];
	size_t i, n = strlen(dir);
	if (n == 0 || n >= sizeof buf)
		return 0;
	strcpy(buf, dir);
	for (i = 3; i <= n; i++) {
		if (buf[i] == '\\' || buf[i] == '/' || buf[i] == '\0') {
			char c = buf[i];
			buf[i] = '\0';
			if (!CreateDirectoryA(buf, NULL) && GetLastError() != ERROR_ALREADY_EXISTS) {
				fprintf(stderr, "standin: cannot make %s (error %lu)\n", buf, GetLastError());
				return 0;
			}
			buf[i] = c;
		}
	}
	return 1;
}

static int writefile(const char *name, const char *text)
{
	FILE *f = fopen(name, "wb");
	if (!f) {
		fprintf(stderr, "standin: cannot write %s\n", name);
		return 0;
	}
	fputs(text, f);
	fclose(f);
	return 1;
}

/* dirof cuts a path at its last backslash. */
static void dirof(char *p)
{
	char *s = strrchr(p, '\\');
	if (s)
		*s = '\0';
}

/* prefix is the folder holding Lib\: the exe's folder, or its parent
 * when the exe is in a venv's Scripts. */
static void prefix(char *out)
{
	char *s;
	strcpy(out, self);
	dirof(out);
	s = strrchr(out, '\\');
	if (s && _stricmp(s + 1, "Scripts") == 0)
		*s = '\0';
}

/* basename of a package requirement: "redis<4" is "redis". */
static void reqname(const char *req, char *out, size_t size)
{
	size_t i;
	for (i = 0; req[i] && i + 1 < size && !strchr("<>=!~[; ", req[i]); i++)
		out[i] = req[i];
	out[i] = '\0';
}

static int installer(int argc, char **argv)
{
	const char *target = NULL;
	int quiet = 0, i;
	char exe[MAX_PATH], log[MAX_PATH];
	FILE *f;
	for (i = 1; i < argc; i++) {
		if (_stricmp(argv[i], "/quiet") == 0)
			quiet = 1;
		else if (_strnicmp(argv[i], "TargetDir=", 10) == 0)
			target = argv[i] + 10;
	}
	if (!quiet || !target || !*target) {
		fprintf(stderr, "standin installer: want /quiet and TargetDir=DIR\n");
		return 1;
	}
	if (!mkdirs(target))
		return 1;
	snprintf(exe, sizeof exe, "%s\\python.exe", target);
	if (!CopyFileA(self, exe, FALSE)) {
		fprintf(stderr, "standin installer: cannot copy to %s (error %lu)\n", exe, GetLastError());
		return 1;
	}
	snprintf(log, sizeof log, "%s\\standin-installer.log", target);
	f = fopen(log, "ab");
	if (!f)
		return 1;
	for (i = 1; i < argc; i++)
		fprintf(f, "%s%s", i > 1 ? " " : "", argv[i]);
	fputs("\n", f);
	fclose(f);
	printf("standin installer: python 3.8.10 installed in %s\n", target);
	return 0;
}

static int venv(const char *dest)
{
	char buf[MAX_PATH], home[MAX_PATH], cfg[2 * MAX_PATH];
	snprintf(buf, sizeof buf, "%s\\Scripts", dest);
	if (!mkdirs(buf))
		return 1;
	strcpy(home, self);
	dirof(home);
	snprintf(cfg, sizeof cfg, "home = %s\r\ninclude-system-site-packages = false\r\nversion = 3.8.10\r\n", home);
	snprintf(buf, sizeof buf, "%s\\pyvenv.cfg", dest);
	if (!writefile(buf, cfg))
		return 1;
	snprintf(buf, sizeof buf, "%s\\Scripts\\python.exe", dest);
	if (!CopyFileA(self, buf, FALSE)) {
		fprintf(stderr, "standin python: cannot copy to %s (error %lu)\n", buf, GetLastError());
		return 1;
	}
	printf("standin python: venv made in %s\n", dest);
	return 0;
}

static int pip(int argc, char **argv)
{
	const char *links = NULL;
	int noindex = 0, i, n = 0;
	char root[MAX_PATH], name[128], buf[MAX_PATH], meta[256];
	prefix(root);
	for (i = 0; i < argc; i++) {
		if (strcmp(argv[i], "--no-index") == 0) {
			noindex = 1;
		} else if (strcmp(argv[i], "--find-links") == 0 && i + 1 < argc) {
			links = argv[++i];
		} else if (argv[i][0] == '-') {
			fprintf(stderr, "standin pip: option %s not known\n", argv[i]);
			return 9;
		} else {
			reqname(argv[i], name, sizeof name);
			if (noindex) {
				WIN32_FIND_DATAA fd;
				HANDLE h;
				if (!links) {
					fprintf(stderr, "ERROR: --no-index and no --find-links for %s\n", name);
					return 1;
				}
				snprintf(buf, sizeof buf, "%s\\%s-*.whl", links, name);
				h = FindFirstFileA(buf, &fd);
				if (h == INVALID_HANDLE_VALUE) {
					fprintf(stderr, "ERROR: No matching distribution found for %s (looked for %s)\n", argv[i], buf);
					return 1;
				}
				printf("Processing %s\\%s\n", links, fd.cFileName);
				FindClose(h);
			}
			snprintf(buf, sizeof buf, "%s\\Lib\\site-packages\\%s-1.0.dist-info", root, name);
			if (!mkdirs(buf))
				return 1;
			snprintf(buf, sizeof buf, "%s\\Lib\\site-packages\\%s-1.0.dist-info\\METADATA", root, name);
			snprintf(meta, sizeof meta, "Metadata-Version: 2.1\r\nName: %s\r\nVersion: 1.0\r\n", name);
			if (!writefile(buf, meta))
				return 1;
			n++;
		}
	}
	if (n == 0) {
		fprintf(stderr, "standin pip: no package named\n");
		return 1;
	}
	printf("Successfully installed %d package(s)\n", n);
	return 0;
}

static int importing(const char *code)
{
	char root[MAX_PATH], name[128], buf[MAX_PATH];
	WIN32_FIND_DATAA fd;
	HANDLE h;
	const char *p = strstr(code, "import ");
	size_t i;
	if (!p)
		return 0;
	p += 7;
	for (i = 0; p[i] && i + 1 < sizeof name && p[i] != ';' && p[i] != ' ' && p[i] != '.'; i++)
		name[i] = p[i];
	name[i] = '\0';
	if (strcmp(name, "sys") == 0 || strcmp(name, "os") == 0)
		return 0;
	prefix(root);
	snprintf(buf, sizeof buf, "%s\\Lib\\site-packages\\%s-*.dist-info", root, name);
	h = FindFirstFileA(buf, &fd);
	if (h == INVALID_HANDLE_VALUE) {
		fprintf(stderr, "ModuleNotFoundError: No module named '%s'\n", name);
		return 1;
	}
	FindClose(h);
	return 0;
}

static int python(int argc, char **argv)
{
	if (argc == 2 && strcmp(argv[1], "--version") == 0) {
		printf("Python 3.8.10\n");
		return 0;
	}
	if (argc >= 3 && strcmp(argv[1], "-c") == 0) {
		int rc = importing(argv[2]);
		if (rc == 0 && strstr(argv[2], "version_info"))
			printf("3.8.10\n");
		return rc;
	}
	if (argc == 4 && strcmp(argv[1], "-m") == 0 && strcmp(argv[2], "venv") == 0)
		return venv(argv[3]);
	if (argc >= 4 && strcmp(argv[1], "-m") == 0 && strcmp(argv[2], "pip") == 0 && strcmp(argv[3], "install") == 0)
		return pip(argc - 4, argv + 4);
	fprintf(stderr, "standin python: not a call it knows:");
	for (int i = 1; i < argc; i++)
		fprintf(stderr, " [%s]", argv[i]);
	fprintf(stderr, "\n");
	return 9;
}

int main(int argc, char **argv)
{
	const char *base;
	if (!GetModuleFileNameA(NULL, self, sizeof self))
		return 9;
	base = strrchr(self, '\\');
	base = base ? base + 1 : self;
	if (_strnicmp(base, "python-", 7) == 0)
		return installer(argc, argv);
	return python(argc, argv);
}
