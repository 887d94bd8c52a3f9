/* A small demo city: districts, streets, a park, enterprises, departments
 * and one account per role, for `make run` and the end-to-end tests. */
#ifndef CHANGAI_DEMO_H
#define CHANGAI_DEMO_H

#include <stdint.h>
#include <stdio.h>

struct db;

/* Fills an initialised store that has only its root org. Writes the demo
 * accounts' usernames and passwords to creds (one "role username password"
 * per line). */
int demo_create(struct db *db, FILE *creds);

/* Adds the city at scale: 10 districts, ~150 streets and parks, 6,300
 * enterprises and `workers` workers (deterministic). */
struct pii_key;
int demo_city(struct db *db, const struct pii_key *key, int64_t workers);

#endif
