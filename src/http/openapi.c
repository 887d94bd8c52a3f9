/* /api/v1/openapi.json, generated from the route table itself, so the
 * description cannot drift from what the server does. */
#include <stdio.h>
#include <string.h>

#include "base/err.h"
#include "http/internal.h"

static const char *
method_key(enum http_method m)
{
	switch (m) {
	case HTTP_GET: return "get";
	case HTTP_POST: return "post";
	case HTTP_PATCH: return "patch";
	case HTTP_PUT: return "put";
	case HTTP_DELETE: return "delete";
	}
	return "get";
}

static void
schema_of_field(struct jw *w, const struct field *f)
{
	jw_obj_open(w);
	switch (f->type) {
	case FT_STRING:
		jw_kstr(w, "type", "string");
		if (f->min)
			jw_kint(w, "minLength", f->min);
		if (f->max)
			jw_kint(w, "maxLength", f->max);
		break;
	case FT_ENUM:
		jw_kstr(w, "type", "string");
		jw_key(w, "enum");
		jw_arr_open(w);
		for (int i = 0; f->choices[i]; i++)
			jw_str(w, f->choices[i]);
		jw_arr_close(w);
		break;
	case FT_DATE:
		jw_kstr(w, "type", "string");
		jw_kstr(w, "format", "date");
		break;
	case FT_BOOL:
		jw_kstr(w, "type", "boolean");
		break;
	case FT_INT:
		jw_kstr(w, "type", "integer");
		if (f->min || f->max) {
			jw_kint(w, "minimum", f->min);
			jw_kint(w, "maximum", f->max);
		}
		break;
	case FT_ID:
		jw_kstr(w, "type", "integer");
		jw_kint(w, "minimum", 1);
		break;
	case FT_NUMBER:
		jw_kstr(w, "type", "number");
		break;
	case FT_ID_ARRAY:
		jw_kstr(w, "type", "array");
		if (f->min)
			jw_kint(w, "minItems", f->min);
		if (f->max)
			jw_kint(w, "maxItems", f->max);
		jw_key(w, "items");
		jw_obj_open(w);
		jw_kstr(w, "type", "integer");
		jw_obj_close(w);
		break;
	case FT_OBJECT:
		jw_kstr(w, "type", "object");
		break;
	case FT_ARRAY:
		jw_kstr(w, "type", "array");
		if (f->max)
			jw_kint(w, "maxItems", f->max);
		jw_key(w, "items");
		jw_obj_open(w);
		jw_kstr(w, "type", "object");
		jw_key(w, "properties");
		jw_obj_open(w);
		for (const struct field *g = f->items; g && g->name; g++) {
			jw_key(w, g->name);
			schema_of_field(w, g);
		}
		jw_obj_close(w);
		jw_kbool(w, "additionalProperties", 0);
		jw_obj_close(w);
		break;
	}
	if (f->flags & F_NULLABLE)
		jw_kbool(w, "nullable", 1);
	if (f->doc)
		jw_kstr(w, "description", f->doc);
	jw_obj_close(w);
}

static const char *
qtype(enum query_type t)
{
	switch (t) {
	case QT_INT: case QT_ID: return "integer";
	case QT_BOOL: return "boolean";
	default: return "string";
	}
}

static void
operation(struct jw *w, const struct route *rt)
{
	const struct field *f;
	const struct qfield *q;
	const char *p;
	char roles[160];
	size_t rn = 0;

	jw_key(w, method_key(rt->method));
	jw_obj_open(w);
	jw_kstr(w, "summary", rt->summary ? rt->summary : "");
	jw_key(w, "tags");
	jw_arr_open(w);
	jw_str(w, rt->tag ? rt->tag : "misc");
	jw_arr_close(w);
	roles[0] = '\0';
	for (unsigned bit = 1; bit <= ROLE_AUDITOR; bit <<= 1) {
		if (rt->roles & bit) {
			int n = snprintf(roles + rn, sizeof(roles) - rn, "%s%s",
			    rn ? ", " : "", role_name(bit));
			if (n > 0 && (size_t)n < sizeof(roles) - rn)
				rn += (size_t)n;
		}
	}
	/* the very mask dispatch checks; 0 lets in anyone signed in */
	jw_kstr(w, "x-roles", rt->flags & RF_PUBLIC ? "public" :
	    rt->roles ? roles : "any");
	jw_key(w, "parameters");
	jw_arr_open(w);
	for (p = strchr(rt->pattern, '{'); p; p = strchr(p + 1, '{')) {
		const char *end = strchr(p, '}');
		if (!end)
			break;
		jw_obj_open(w);
		jw_kstr(w, "in", "path");
		jw_key(w, "name");
		jw_strn(w, p + 1, (size_t)(end - p - 1));
		jw_kbool(w, "required", 1);
		jw_key(w, "schema");
		jw_obj_open(w);
		jw_kstr(w, "type", end - p >= 3 && !strncmp(end - 2, "id", 2) ?
		    "integer" : "string");
		jw_obj_close(w);
		jw_obj_close(w);
	}
	for (q = rt->query; q && q->name; q++) {
		jw_obj_open(w);
		jw_kstr(w, "in", "query");
		jw_kstr(w, "name", q->name);
		if (q->doc)
			jw_kstr(w, "description", q->doc);
		jw_key(w, "schema");
		jw_obj_open(w);
		jw_kstr(w, "type", qtype(q->type));
		if (q->type == QT_ENUM) {
			jw_key(w, "enum");
			jw_arr_open(w);
			for (int i = 0; q->choices[i]; i++)
				jw_str(w, q->choices[i]);
			jw_arr_close(w);
		}
		jw_obj_close(w);
		jw_obj_close(w);
	}
	jw_arr_close(w);
	if (rt->body) {
		jw_key(w, "requestBody");
		jw_obj_open(w);
		jw_kbool(w, "required", 1);
		jw_key(w, "content");
		jw_obj_open(w);
		jw_key(w, "application/json");
		jw_obj_open(w);
		jw_key(w, "schema");
		jw_obj_open(w);
		jw_kstr(w, "type", "object");
		jw_kbool(w, "additionalProperties", 0);
		jw_key(w, "properties");
		jw_obj_open(w);
		for (f = rt->body; f->name; f++) {
			jw_key(w, f->name);
			schema_of_field(w, f);
		}
		jw_obj_close(w);
		jw_key(w, "required");
		jw_arr_open(w);
		for (f = rt->body; f->name; f++)
			if (f->flags & F_REQUIRED)
				jw_str(w, f->name);
		jw_arr_close(w);
		jw_obj_close(w);
		jw_obj_close(w);
		jw_obj_close(w);
		jw_obj_close(w);
	} else if (rt->flags & RF_RAW_BODY) {
		jw_key(w, "requestBody");
		jw_obj_open(w);
		jw_kbool(w, "required", 1);
		jw_key(w, "content");
		jw_obj_open(w);
		jw_key(w, "application/octet-stream");
		jw_obj_open(w);
		jw_obj_close(w);
		jw_obj_close(w);
		jw_obj_close(w);
	}
	jw_key(w, "responses");
	jw_obj_open(w);
	jw_key(w, "default");
	jw_obj_open(w);
	jw_kstr(w, "description", "JSON; errors use the envelope of API.md");
	jw_obj_close(w);
	jw_obj_close(w);
	jw_obj_close(w);
}

void
openapi_render(struct server *srv, struct jw *w)
{
	size_t i, j;
	jw_obj_open(w);
	jw_kstr(w, "openapi", "3.0.3");
	jw_key(w, "info");
	jw_obj_open(w);
	jw_kstr(w, "title", "changai API");
	jw_kstr(w, "version", "1");
	jw_kstr(w, "description", "产业工人队伍建设改革 platform");
	jw_obj_close(w);
	jw_key(w, "paths");
	jw_obj_open(w);
	/* group methods under their path, in table order */
	for (i = 0; i < srv->nroutes; i++) {
		const struct route *rt = srv->routes[i].route;
		int seen = 0;

		for (j = 0; j < i; j++)
			if (!strcmp(srv->routes[j].route->pattern, rt->pattern))
				seen = 1;
		if (seen)
			continue;
		jw_key(w, rt->pattern);
		jw_obj_open(w);
		for (j = i; j < srv->nroutes; j++)
			if (!strcmp(srv->routes[j].route->pattern, rt->pattern))
				operation(w, srv->routes[j].route);
		jw_obj_close(w);
	}
	jw_obj_close(w);
	jw_obj_close(w);
}

static int
h_openapi(struct req *r)
{
	/* the dispatcher checks the document with jw_finish */
	openapi_render(r->srv, req_json(r, 200));
	return 0;
}

const struct route http_routes[] = {
	{HTTP_GET, "/api/v1/openapi.json", h_openapi, 0, RF_PUBLIC, NULL, NULL,
	    "meta", "This document: every endpoint, its inputs and who may call it"},
	{0, NULL, NULL, 0, 0, NULL, NULL, NULL, NULL},
};
