/* The audit archive reader (`changai audit verify --archive FILE`): an
 * operator hands it a file that may have been anywhere. Never a crash; a
 * refusal always says why; what it accepts is a whole run of rows. The
 * seed corpus was archived from a store whose audit key is all zeros,
 * since row 1, the key set here. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>
#include <stdio.h>

#include "audit/audit.h"
#include "base/buf.h"
#include "base/err.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const unsigned char key[32];
	struct audit_archive_info info;
	char path[64];
	struct buf why;
	int fd, rc;

	audit_key_use(key, 1);
	fd = memfd_create("archive", 0);
	if (fd < 0 || write(fd, data, size) != (ssize_t)size)
		abort();
	snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
	buf_init(&why, 4096);
	rc = audit_archive_check(NULL, path, &info, &why);
	if (rc == 0 && (info.rows != info.upto_seq - info.from_seq + 1 ||
	    !info.upto_hash[0] || strlen(info.file_sha256) != 64))
		abort();
	if (rc == ERR_INVALID && !why.len)
		abort();
	buf_free(&why);
	close(fd);
	return 0;
}
