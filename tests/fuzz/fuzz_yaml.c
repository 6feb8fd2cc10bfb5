/*
 * fuzz_yaml.c: resolver YAML (yamlwalk.c over libyaml's document API):
 * a document read as a daemon reads it (aliases legal, depth capped) and
 * searched for duplicate and merge keys, the same bytes read as one of
 * anchorwatch's own files (aliases, anchors and tags refused), and Knot
 * Resolver 6's config.yaml walked by its dnssec: schema (knot-yaml.c).
 */
#include <stdlib.h>

#include "fuzz.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct knot_y6 *d = calloc(1, sizeof(*d));
	char err[AW_ERR_MAX], refused[AW_ERR_MAX], key[64];
	struct yamlwalk *w;
	unsigned line;

	if (d == NULL)
		abort();
	if ((w = yamlwalk_open("recursor.yml", (const char *)data, size, 0, 64,
	    err, sizeof(err))) != NULL) {
		(void)yamlwalk_find_dup(w, &line, key, sizeof(key));
		(void)yamlwalk_find_merge(w, &line);
		yamlwalk_free(w);
	}
	if ((w = yamlwalk_open("anchorwatch.yaml", (const char *)data, size,
	    YW_OWN, 4, err, sizeof(err))) != NULL)
		yamlwalk_free(w);
	refused[0] = '\0';
	(void)knot_yaml_read(fuzz_file("config.yaml", data, size), d, refused,
	    sizeof(refused), err, sizeof(err));
	knot_yaml_free(d);
	free(d);
	return 0;
}
