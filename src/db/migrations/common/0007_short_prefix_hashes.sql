-- Prefix-search hashes keep their first 64 bits (16 hex digits): the three
-- prefix indexes halve, and an import writes a third less index data.
-- The full-number hash (id_hash) keeps all 128 bits: it is the identity.
UPDATE workers SET id_p6 = substr(id_p6, 1, 16), id_p10 = substr(id_p10, 1, 16),
	id_p14 = substr(id_p14, 1, 16) WHERE length(id_p6) > 16;
