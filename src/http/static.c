/* The built console (web/dist). Paths are resolved one component at a time
 * below an open directory with openat(O_NOFOLLOW), so neither "..", nor a
 * symlink, nor an encoded slash can leave it. Files under assets/ carry a
 * content hash in their names and are cached for a year; everything else
 * is revalidated. Unknown paths without an extension get index.html, so
 * the console's client-side routes survive a reload. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/err.h"
#include "base/util.h"
#include "http/internal.h"

static const struct {
	const char *ext;
	const char *type;
} mime[] = {
	{".html", "text/html; charset=utf-8"},
	{".js", "text/javascript; charset=utf-8"},
	{".mjs", "text/javascript; charset=utf-8"},
	{".css", "text/css; charset=utf-8"},
	{".json", "application/json; charset=utf-8"},
	{".svg", "image/svg+xml"},
	{".png", "image/png"},
	{".jpg", "image/jpeg"},
	{".jpeg", "image/jpeg"},
	{".gif", "image/gif"},
	{".webp", "image/webp"},
	{".ico", "image/x-icon"},
	{".woff", "font/woff"},
	{".woff2", "font/woff2"},
	{".ttf", "font/ttf"},
	{".txt", "text/plain; charset=utf-8"},
	{".map", "application/json; charset=utf-8"},
	{".xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"},
	{".csv", "text/csv; charset=utf-8"},
	{".pdf", "application/pdf"},
	{".wasm", "application/wasm"},
};

static const char *
mime_type(const char *path)
{
	const char *dot = strrchr(path, '.');

	if (!dot || strchr(dot, '/'))
		return "application/octet-stream";
	for (size_t i = 0; i < ARRAY_LEN(mime); i++)
		if (!strcasecmp(dot, mime[i].ext))
			return mime[i].type;
	return "application/octet-stream";
}

/* Opens path (relative, '/'-separated) below dirfd; -1 on any doubt. */
static int
open_below(int dirfd, const char *path)
{
	char comp[256];
	int fd = dup(dirfd), next;
	const char *p = path;

	if (fd < 0)
		return -1;
	while (*p) {
		const char *end = strchr(p, '/');
		size_t n = end ? (size_t)(end - p) : strlen(p);

		if (n == 0 || n >= sizeof(comp) || p[0] == '.' ||
		    memchr(p, '\\', n) || memchr(p, '\0', n)) {
			close(fd);
			return -1;
		}
		memcpy(comp, p, n);
		comp[n] = '\0';
		next = openat(fd, comp, (end ? O_DIRECTORY : 0) | O_RDONLY |
		    O_NOFOLLOW | O_CLOEXEC);
		close(fd);
		if (next < 0)
			return -1;
		fd = next;
		p += n;
		if (*p == '/')
			p++;
	}
	return fd;
}

static int
fallback_page(struct req *r)
{
	static const char page[] =
		"<!doctype html><html lang=\"zh-CN\"><meta charset=\"utf-8\">"
		"<title>产改 changai</title>"
		"<body style=\"font-family:sans-serif;margin:3em\">"
		"<h1>产改 changai</h1>"
		"<p>控制台尚未构建（web/dist 不存在）。API 可用：<a href=\"/api/v1/openapi.json\">"
		"/api/v1/openapi.json</a></p>"
		"<p>The console is not built (web/dist is missing). The API is up: "
		"<a href=\"/api/v1/openapi.json\">/api/v1/openapi.json</a></p>";

	return req_text(r, 200, "text/html; charset=utf-8", page, sizeof(page) - 1);
}

int
static_serve(struct req *r, const char *url)
{
	struct stat st;
	char etag[64];
	const char *rel = url, *inm;
	int fd = -1;

	while (*rel == '/')
		rel++;
	if (r->srv->web_fd < 0)
		return fallback_page(r);
	if (*rel)
		fd = open_below(r->srv->web_fd, rel);
	if (fd >= 0 && (fstat(fd, &st) || !S_ISREG(st.st_mode))) {
		close(fd);
		fd = -1;
	}
	if (fd < 0) {
		const char *last = strrchr(url, '/');
		/* client-side routes have no extension; files that are
		 * missing do, and get a plain 404 */
		if (*rel && last && strchr(last, '.'))
			return req_error(r, 404, "not_found", NULL, "no such file",
			    "文件不存在");
		rel = "index.html";
		fd = open_below(r->srv->web_fd, rel);
		if (fd < 0)
			return fallback_page(r);
		if (fstat(fd, &st)) {
			close(fd);
			return req_fail(r, ERR_IO);
		}
	}
	snprintf(etag, sizeof(etag), "\"%llx-%llx\"",
	    (unsigned long long)st.st_mtime, (unsigned long long)st.st_size);
	r->cacheable = 1;
	req_header(r, "ETag", etag);
	req_header(r, "Cache-Control", !strncmp(rel, "assets/", 7) ?
	    "public, max-age=31536000, immutable" : "no-cache");
	inm = MHD_lookup_connection_value(r->mc, MHD_HEADER_KIND, "If-None-Match");
	if (inm && !strcmp(inm, etag)) {
		close(fd);
		return req_status_only(r, 304);
	}
	r->status = 200;
	r->responded = 1;
	r->ctype = mime_type(rel);
	r->fd = fd;
	r->fsize = (uint64_t)st.st_size;
	return 0;
}
